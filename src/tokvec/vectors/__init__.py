"""Word vectors: training (word2vec), KeyedVectors and their queries, file formats, evaluation."""
