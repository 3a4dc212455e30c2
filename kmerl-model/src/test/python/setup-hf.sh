#!/usr/bin/env bash
# Installs the two Hugging Face libraries make_tiny_bert.py uses (the Rust tokenizers and
# safetensors) next to Debian's PyTorch (apt install python3-torch), without touching the system
# Python: run make_tiny_bert.py with PYTHONPATH=/opt/hf /usr/bin/python3.
set -euo pipefail
/usr/bin/python3 -m pip install --quiet --target /opt/hf tokenizers==0.23.2 safetensors==0.8.0
echo "ready: PYTHONPATH=/opt/hf /usr/bin/python3 kmerl-model/src/test/python/make_tiny_bert.py"
