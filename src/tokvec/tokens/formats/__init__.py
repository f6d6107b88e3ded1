"""Readers and writers of the tokenizer files people already have."""
