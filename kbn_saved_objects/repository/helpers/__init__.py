"""Steps shared by several repository operations (Kibana's ``apis/helpers``)."""
