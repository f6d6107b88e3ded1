"""Slow, readable pure-Python twins of the numba kernels, with the same signatures and results.

The tests run each kernel and its twin on generated inputs and check that they agree.
"""
