"""Tokenizer models: the step that turns one pre-tokenized piece into token ids."""
