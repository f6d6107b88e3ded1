# The two commands of the README: `make demo` and `make test`. Both set up a virtual environment
# from scratch on a fresh machine (only Python 3.11 and make needed); nothing is downloaded at run time.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint bench clean clean-cache

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/tokvec tour

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests bench tools
	$(VENV)/bin/ruff format --check src tests bench tools

# -n auto: one pytest worker per core (pytest-xdist); numba's cache writes are atomic, so workers share it
test: lint
	$(PY) -m pytest -n auto
	# once more without the JIT: the kernels' Python path must stay honest (quick tests only)
	NUMBA_DISABLE_JIT=1 $(PY) -m pytest -n auto -m "not data" -p no:cacheprovider tests/kernels tests/tokens tests/trainers tests/embed/test_kernels.py

bench: $(VENV)/.installed-test
	$(PY) bench/encode.py
	$(PY) bench/encode.py --dropin --encodings cl100k o200k --repeat 2
	$(PY) bench/pathological.py
	$(PY) bench/train.py

clean-cache:  # numba's cache does not see edits to kernels in other files
	find src -name '*.nbi' -o -name '*.nbc' | xargs rm -f

clean: clean-cache
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache
