"""Finding what a thread duplicates: the ranking and thresholds (dedup), the whoosh index (search_index,
index_cache), sentence embeddings (semantic, with models/), buckets of open questions (buckets), and the benchmark
protocol (benchmark)."""
