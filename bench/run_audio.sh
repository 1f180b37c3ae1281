#!/usr/bin/env bash
# The sound world's costs and what audio-pitch learns: spectrum synthesis (tones and WAV
# excerpts), Hebbian throughput, e_g against its baseline and the harmonic stripes.
# Prints medians of 5 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --no-default-features --bench audio_bench
