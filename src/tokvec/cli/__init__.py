"""The ``tokvec`` command: one module per verb group, each a thin layer over the library.

encode.py (encode, decode), count.py, listing.py (list), tour.py; main.py parses and reports errors.
"""
