"""Export the shipped encoder claim model (src/claimflow/data/encoder) to int8 ONNX.

Usage: PYTHONPATH=src python training/export_onnx.py [--model-dir DIR] [--per-tensor]
       [--exclude REGEX]
Writes DIR/encoder.int8.onnx (merged MiniLM + LoRA, mean pooling, head; dynamic int8 weights)
and its record DIR/encoder.int8.json (sha256s, settings); weights and config are left as they
are. `make install` runs it when the file is missing or older than the weights. Needs the
transformer extra plus onnx and onnxruntime; no network.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from claimflow.claims.encoder import DEFAULT_MODEL_DIR, ONNX_FILE
from claimflow.training.encoder import export_saved

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
ap.add_argument("--per-tensor", action="store_true",
                help="one weight scale per matrix (default: per output channel)")
ap.add_argument("--exclude", default=None,
                help="ONNX node names kept in fp32, as a regex (default: the model's "
                     "onnx_fp32_nodes hyper-parameter; '' for all-int8)")
args = ap.parse_args()
record = export_saved(args.model_dir, per_channel=not args.per_tensor,
                      exclude=args.exclude)
size = (args.model_dir / ONNX_FILE).stat().st_size
print(f"wrote {args.model_dir / ONNX_FILE} ({size / 1e6:.1f} MB, sha256 {record['sha256'][:16]})")
