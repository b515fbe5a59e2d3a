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
import org.opensearch.plugins.Plugin;

/**
 * Starts one OpenSearch node in this JVM with the modules given on the classpath.
 * Arguments: key=value node settings. With -Dkbn.watchStdin=true the node stops when
 * standard input closes, so a parent that dies (even by SIGKILL) never leaves it behind.
 */
public final class LocalEngine {
    private static final String[] MODULES = {
        "org.opensearch.transport.Netty4Plugin",
        "org.opensearch.index.reindex.ReindexPlugin",
        "org.opensearch.painless.PainlessPlugin",
        "org.opensearch.index.mapper.MapperExtrasPlugin",
        "org.opensearch.analysis.common.CommonAnalysisPlugin",
        "org.opensearch.join.ParentJoinPlugin",
        "org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin",
    };

    static final class EngineNode extends Node {
        EngineNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Settings.Builder builder = Settings.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings settings = builder.build();
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);
        List<Class<? extends Plugin>> plugins = new ArrayList<>();
        for (String name : MODULES) {
            plugins.add((Class<? extends Plugin>) Class.forName(name));
        }
        Environment env = InternalSettingsPreparer.prepareEnvironment(
            settings, java.util.Map.of(), Path.of(settings.get("path.home")).resolve("config"), () -> settings.get("node.name"));
        Node node = new EngineNode(env, plugins);
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
