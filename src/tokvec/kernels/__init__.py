"""Numba kernels: pure functions on arrays and scalars (see DESIGN.md, "Kernels are pure").

Each kernel has a readable pure-Python twin in :mod:`tokvec.reference` and a test that they agree.
"""
