import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;

/**
 * Starts one OpenSearch node in this JVM with the modules given on the classpath.
 * Arguments: key=value node settings. With -Dkbn.watchStdin=true the node stops when
 * standard input closes, so a parent that dies (even by SIGKILL) never leaves it behind.
 *
 * One source serves OpenSearch 2.x and 3.x. The two differ in what the node constructor
 * takes for classpath plugins (plugin classes in 2.x, PluginInfo descriptors in 3.x) and
 * in the module classes' names (FooPlugin in 2.x, FooModulePlugin in 3.x), so both are
 * found by reflection rather than compiled against one major's API.
 */
public final class LocalEngine {
    /** Each module as its 3.x class name then its 2.x one; the first that loads is used. */
    private static final String[][] MODULES = {
        {"org.opensearch.transport.Netty4ModulePlugin", "org.opensearch.transport.Netty4Plugin"},
        {"org.opensearch.index.reindex.ReindexModulePlugin", "org.opensearch.index.reindex.ReindexPlugin"},
        {"org.opensearch.painless.PainlessModulePlugin", "org.opensearch.painless.PainlessPlugin"},
        {"org.opensearch.index.mapper.MapperExtrasModulePlugin", "org.opensearch.index.mapper.MapperExtrasPlugin"},
        {"org.opensearch.analysis.common.CommonAnalysisModulePlugin", "org.opensearch.analysis.common.CommonAnalysisPlugin"},
        {"org.opensearch.join.ParentJoinModulePlugin", "org.opensearch.join.ParentJoinPlugin"},
        {"org.opensearch.search.aggregations.matrix.MatrixAggregationModulePlugin",
            "org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin"},
    };

    private static Class<?> firstLoadable(String[] names) throws ClassNotFoundException {
        for (String name : names) {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                // try the other major's name
            }
        }
        throw new ClassNotFoundException(String.join(" or ", names));
    }

    /** The node's protected (Environment, Collection, boolean) constructor, made callable. */
    private static Constructor<Node> nodeConstructor() throws NoSuchMethodException {
        Constructor<Node> ctor = Node.class.getDeclaredConstructor(Environment.class, Collection.class, boolean.class);
        ctor.setAccessible(true);
        return ctor;
    }

    private static boolean takesPluginInfo(Constructor<Node> ctor) {
        Type collection = ctor.getGenericParameterTypes()[1];
        if (!(collection instanceof ParameterizedType)) {
            return false;
        }
        Type element = ((ParameterizedType) collection).getActualTypeArguments()[0];
        return element.getTypeName().equals("org.opensearch.plugins.PluginInfo");
    }

    /** A 3.x PluginInfo describing a module already on the classpath. */
    private static Object pluginInfo(Class<?> plugin) throws Exception {
        Class<?> infoClass = Class.forName("org.opensearch.plugins.PluginInfo");
        Class<?> versionClass = Class.forName("org.opensearch.Version");
        Object current = versionClass.getField("CURRENT").get(null);
        Constructor<?> ctor = infoClass.getConstructor(
            String.class, String.class, String.class, versionClass, String.class, String.class, List.class, boolean.class);
        return ctor.newInstance(
            plugin.getName(), "classpath module", "NA", current,
            System.getProperty("java.specification.version"), plugin.getName(), List.of(), false);
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder builder = Settings.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings settings = builder.build();
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);
        Constructor<Node> ctor = nodeConstructor();
        boolean infos = takesPluginInfo(ctor);
        List<Object> plugins = new ArrayList<>();
        for (String[] names : MODULES) {
            Class<?> plugin = firstLoadable(names);
            plugins.add(infos ? pluginInfo(plugin) : plugin);
        }
        Environment env = InternalSettingsPreparer.prepareEnvironment(
            settings, java.util.Map.of(), Path.of(settings.get("path.home")).resolve("config"), () -> settings.get("node.name"));
        Node node = ctor.newInstance(env, plugins, true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.start();
        System.out.println("kbn-so local engine started");
        System.out.flush();
        if (Boolean.getBoolean("kbn.watchStdin")) {
            while (System.in.read() != -1) {
                // drain until the parent closes our stdin
            }
            System.exit(0);
        }
        stopped.await();
    }
}
