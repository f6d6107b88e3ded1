"""Trainers: learn BPE, WordPiece and Unigram vocabularies from a corpus."""
