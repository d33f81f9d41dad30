#!/usr/bin/env bash
# The one prepared script for the project's GPU machine (run from the repository root there):
# train resnet18, then convnext_atto, from a data pack, inside one device call, and leave the
# checkpoints (cut into parts that the device tool can return), a log and a summary under "$OUT".
#
#   training/gpu/run.sh [PACK] [BUDGET_MIN]
#
#   PACK        a .kgpack made by kneegrade_train.pack (default training/packs/knee-kl-224-webp.kgpack);
#               it is git-ignored, so the device call must name it in `carry`
#   BUDGET_MIN  wall-clock minutes for the whole script (default 9, for the tool's 10-minute command
#               limit): resnet18 gets half of what is left after a reserve for start-up and collection,
#               convnext_atto whatever remains when resnet18 stops (train.py --deadline-min)
#
# Environment (all optional): OUT (set by the device tool; required), KG_ARCHS ("resnet18 convnext_atto"),
# KG_SIZE (224), KG_EPOCHS (30), KG_BATCH (64), KG_EXTRA (more train.py flags for every model, e.g. the tiny-run
# flags "--limit-train 40 --limit-val 20 --max-steps 2"), KG_EXTRA_<arch> (for one model, e.g.
# KG_EXTRA_convnext_atto="--lr 1e-3"), KG_COMMIT (the source commit, recorded in summary.json: the device's
# copy has no git history), KG_RESERVE_MIN (1.0), KG_WORK (/tmp/kg-gpu: runs and
# decode cache, kept on a still-warm machine), KG_RESUME=1 (continue from KG_WORK/<arch>/last.ckpt),
# KG_ALLOW_CPU=1 (run without CUDA: only to test this script's plumbing), PYTHON (python3).
set -uo pipefail

t_start=$(date +%s)
: "${OUT:?OUT is not set (the device tool sets it; set it by hand to test this script)}"
repo=$(cd "$(dirname "$0")/../.." && pwd)
pack_arg=${1:-training/packs/knee-kl-224-webp.kgpack}
budget=${2:-9}
case $pack_arg in /*) pack=$pack_arg ;; *) pack=$repo/$pack_arg ;; esac
# train.py runs in training/: a pack inside it is named relative to it (as the README's commands do; the
# checkpoint records the path, and the model card's training command shows it)
case $pack in "$repo"/training/*) pack_for_train=${pack#"$repo"/training/} ;; *) pack_for_train=$pack ;; esac
PY=${PYTHON:-python3}
archs=${KG_ARCHS:-resnet18 convnext_atto}
size=${KG_SIZE:-224}
epochs=${KG_EPOCHS:-30}
batch=${KG_BATCH:-64}
reserve=${KG_RESERVE_MIN:-1.0}
work=${KG_WORK:-/tmp/kg-gpu}
export PYTHONUNBUFFERED=1
mkdir -p "$OUT" "$work"
log=$OUT/train.log
say() { echo "$@" | tee -a "$log"; }
elapsed_min() { awk -v a="$t_start" -v b="$(date +%s)" 'BEGIN { printf "%.2f", (b - a) / 60 }'; }

say "[gpu] $(date -u +%FT%TZ) pack=$pack_arg budget=${budget}min archs='$archs' size=$size epochs=$epochs batch=$batch"
if [ ! -f "$pack" ]; then
    say "[gpu] no pack at $pack: build it here with kneegrade_train.pack and name it in the device call's carry"
    exit 2
fi
cd "$repo/training" || exit 2
command -v nvidia-smi >/dev/null && nvidia-smi -L 2>&1 | tee -a "$log"
cuda=$("$PY" -c 'import torch; print(int(torch.cuda.is_available()), torch.__version__, torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu")' 2>&1)
say "[gpu] torch: $cuda"
case $cuda in
    1\ *) ;;
    *) if [ "${KG_ALLOW_CPU:-0}" != 1 ]; then say "[gpu] CUDA is not available: stopping (KG_ALLOW_CPU=1 runs on CPU for a plumbing test)"; exit 3; fi
       say "[gpu] KG_ALLOW_CPU=1: running on CPU" ;;
esac
# the pack: manifest, member CRCs, counts, payload sha256 (decoding is left to the loader, which names bad members)
"$PY" -m kneegrade_train.pack --verify "$pack" --no-decode 2>&1 | tee -a "$log" || { say "[gpu] the pack failed verification"; exit 4; }

n=$(echo $archs | wc -w)
i=0
for arch in $archs; do
    i=$((i + 1))
    left=$(awk -v b="$budget" -v r="$reserve" -v e="$(elapsed_min)" 'BEGIN { printf "%.2f", b - r - e }')
    # this model's share of what is left: an equal split among the models still to train
    share=$(awk -v l="$left" -v k="$((n - i + 1))" 'BEGIN { s = l / k; printf "%.2f", (s > 0.2 ? s : 0.2) }')
    resume=()
    [ "${KG_RESUME:-0}" = 1 ] && resume=(--resume)
    extra_var="KG_EXTRA_$arch"
    say "[gpu] $arch: deadline ${share} min (elapsed $(elapsed_min) of ${budget} min)"
    # shellcheck disable=SC2086
    "$PY" -m kneegrade_train.train --arch "$arch" --data "$pack_for_train" --out "$work/$arch" --size "$size" \
        --epochs "$epochs" --batch "$batch" --deadline-min "$share" --cache "$work/cache" "${resume[@]}" \
        ${KG_EXTRA:-} ${!extra_var:-} 2>&1 \
        | tee -a "$log"
    rc=${PIPESTATUS[0]}
    say "[gpu] $arch: train.py exit $rc after $(elapsed_min) min"
    done_archs="${done_archs:+$done_archs,}$arch"
    # collect after every model, so that a call cut short still returns what finished
    "$PY" -m kneegrade_train.gpu collect --runs "$work" --out "$OUT" --archs "$done_archs" --pack "$pack_arg" \
        --info "device=$(echo "$cuda" | cut -d' ' -f3- | tr ' ' '_')" --info "torch=$(echo "$cuda" | cut -d' ' -f2)" \
        --info "minutes=$(elapsed_min)" --info "commit=${KG_COMMIT:-unknown}" >>"$log" 2>&1
done

"$PY" -c 'import json, sys; from kneegrade_train.gpu import print_summary; print_summary(json.load(open(sys.argv[1])))' \
    "$OUT/summary.json" 2>&1 | tee -a "$log"
say "[gpu] done in $(elapsed_min) min; files under \$OUT:"
(cd "$OUT" && find . -type f -printf '%p %s\n' | sort) | tee -a "$log"
