"""The tokenizer pipeline: pre-tokenizer, model, special tokens, decoder."""
