# orbitsim — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench venv clean data

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

## make demo: install, run every seed scenario, check every claim, write out/report.html
demo: $(STAMP)
	$(VENV)/bin/orbitsim report --out out

## make test: install with test extras and run the test suite (unit, doctests, README examples)
test: $(STAMP)
	$(PY) -m pytest -q

## make bench: speed and accuracy benchmarks (ratios against peers measured in the same run)
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/run_all.py

## make data: rebuild the small data bundled in orbitsim/data/ from its sources
data: $(STAMP)
	$(PY) -m pip install --quiet -e '.[data]'
	$(PY) orbitsim/data/build_cities.py
	$(PY) orbitsim/data/build_population.py

clean:
	rm -rf $(VENV) out build *.egg-info
