"""Numba kernels: pure functions on arrays and scalars (see DESIGN.md, "Kernels are pure").

Each kernel has a readable pure-Python twin in :mod:`tokvec.reference` and a test that they agree.

subtle: numba's on-disk cache (``cache=True``) is keyed on the source file of the compiled function
only. After editing a kernel that a kernel in another file calls (``piece_end`` inside
``encode_docs``), run ``make clean-cache`` or the old machine code keeps running.
"""
