"""Search backends with Chinese segmentation: database (default) and
Elasticsearch (when ELASTICSEARCH_URL is set)."""
