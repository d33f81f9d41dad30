"""BioMedCLIP image encoder -> ONNX image-embedding model + KneeGrade model card.

BioMedCLIP (Zhang et al. 2023, microsoft/BiomedCLIP-PubMedBERT_256-vit_base_patch16_224, MIT) is an
open_clip model: a ViT-B/16 image tower whose class token is projected linearly to 512 dimensions.
This script reads the public checkpoint file ``open_clip_pytorch_model.bin`` (only its ``visual.*``
tensors), loads them strictly into ``vit.ClipVisual``, exports ONNX (opset 17, dynamic batch,
input ``input`` float32 (N,3,224,224), output ``embedding`` (N,512)), checks onnxruntime against
PyTorch, and writes ``model.json``:

    python -m kneegrade_train.biomedclip --checkpoint open_clip_pytorch_model.bin \
        --out ../resources/models/biomedclip-vitb16

``--placeholder`` writes only a card for a model that is not installed yet (its sha256 is zeros and
its file absent), so the app lists BioMedCLIP as "not installed" with the reason until a user converts
the real checkpoint into the same folder.

``--random-test DIR`` first writes a randomly initialised checkpoint under the real parameter names
and shapes (``--depth`` reduces the number of blocks for quick tests) and converts that instead:
it proves the conversion where the real file cannot be downloaded. Its card says so loudly.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

from .card import SCHEMA, git_commit, input_contract, sha256_file
from .onnx_eval import session
from .onnx_export import export_onnx, to_fp16_weights
from .vit import ClipVisual

MEAN = (0.48145466, 0.4578275, 0.40821073)  # OpenAI CLIP normalisation, which BioMedCLIP's preprocess uses
STD = (0.26862954, 0.26130258, 0.27577711)
HF_REPO = "microsoft/BiomedCLIP-PubMedBERT_256-vit_base_patch16_224"
LICENCE = "MIT"
ATTRIBUTION = (
    "Zhang S, Xu Y, Usuyama N, et al. BiomedCLIP: a multimodal biomedical foundation model pretrained from "
    "fifteen million scientific image-text pairs. arXiv:2303.00915 (2023). Weights: huggingface.co/" + HF_REPO
    + " (MIT licence, Microsoft)."
)


class CheckpointMismatch(ValueError):
    pass


def visual_state_dict(path: Path) -> dict[str, torch.Tensor]:
    """The image tower's tensors from an open_clip checkpoint, with the ``visual.`` prefix removed."""
    try:
        sd = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # noqa: BLE001 - re-raised with the file named
        raise CheckpointMismatch(f"{path}: not a readable PyTorch checkpoint ({e})") from e
    if isinstance(sd, dict) and "state_dict" in sd and isinstance(sd["state_dict"], dict):
        sd = sd["state_dict"]
    out = {}
    for k, v in sd.items():
        k = k[len("module."):] if k.startswith("module.") else k
        if k.startswith("visual."):
            out[k[len("visual."):]] = v
    if not out:
        raise CheckpointMismatch(f"{path}: no 'visual.*' tensors: not an open_clip checkpoint")
    return out


def build_from_state(sd: dict[str, torch.Tensor], path: Path) -> ClipVisual:
    """Size the model from the tensors themselves, then load strictly (names and shapes must match)."""
    try:
        dim = sd["trunk.pos_embed"].shape[-1]
        n_tokens = sd["trunk.pos_embed"].shape[1]
        patch = sd["trunk.patch_embed.proj.weight"].shape[-1]
        embed_dim = sd["head.proj.weight"].shape[0]
    except KeyError as e:
        raise CheckpointMismatch(f"{path}: missing {e.args[0]!r}: not a ViT image tower in open_clip/timm naming") from e
    depth = 1 + max(int(m.group(1)) for k in sd if (m := re.match(r"trunk\.blocks\.(\d+)\.", k)))
    img_size = int(round((n_tokens - 1) ** 0.5)) * patch
    model = ClipVisual(dim, depth, dim // 64, embed_dim, img_size, patch, proj_bias="head.proj.bias" in sd)
    want = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    have = {k: tuple(v.shape) for k, v in sd.items()}
    problems = [f"missing {k}" for k in want if k not in have]
    problems += [f"unexpected {k}" for k in have if k not in want]
    problems += [f"{k}: shape {have[k]} != {want[k]}" for k in want if k in have and have[k] != want[k]]
    if problems:
        raise CheckpointMismatch(f"{path}: image tower does not match ViT naming: " + "; ".join(problems[:10]))
    model.load_state_dict({k: v.float() for k, v in sd.items()}, strict=True)
    return model.eval()


def write_random_checkpoint(path: Path, depth: int = 12, seed: int = 0) -> Path:
    """A stand-in for ``open_clip_pytorch_model.bin``: random ViT-B/16 image tower under the real names
    and shapes, plus a few text-tower entries (which the converter must ignore)."""
    torch.manual_seed(seed)
    visual = ClipVisual(depth=depth)
    sd = {"visual." + k: v for k, v in visual.state_dict().items()}
    sd["logit_scale"] = torch.tensor(4.6052)
    sd["text.transformer.embeddings.word_embeddings.weight"] = torch.zeros(8, 768)  # real: (30522, 768)
    sd["text.proj.0.weight"] = torch.zeros(640, 768)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(sd, path)
    return path


@torch.no_grad()
def check_parity(model: ClipVisual, onnx_path: Path, tolerance: float = 1e-4, seed: int = 0) -> float:
    g = torch.Generator().manual_seed(seed)
    x = (torch.rand(2, 3, 224, 224, generator=g) - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]
    ref = model(x).numpy()
    got = session(onnx_path).run(None, {"input": x.numpy()})[0]
    diff = float(np.abs(ref - got).max())
    if got.shape != ref.shape or diff > tolerance:
        raise AssertionError(f"{onnx_path}: onnxruntime differs from PyTorch: shape {got.shape}, max |diff| {diff:.2e}")
    return diff


def card(*, name: str, onnx_path: Path, checkpoint: Path, checkpoint_sha: str, depth: int, random_test: bool,
         command: str, precision: str) -> dict:
    desc = (
        "BioMedCLIP ViT-B/16 image encoder: class token -> linear projection, 512-d, not L2-normalised "
        "(open_clip encode_image). Input: the joint crop replicated to 3 channels, CLIP normalisation. "
        f"Weights stored as {precision}."
    )
    if random_test:
        desc = (f"TEST ARTEFACT WITH RANDOM WEIGHTS ({depth} blocks): proves the conversion only; its "
                "embeddings mean nothing. " + desc)
    return {
        "schema": SCHEMA,
        "name": name,
        "version": "1.0.0",
        "approach": "embedding",
        "architecture": "vit-b16-biomedclip" if depth == 12 else f"vit-b16-biomedclip-depth{depth}",
        "file": onnx_path.name,
        "sha256": sha256_file(onnx_path),
        "description": desc,
        "input": input_contract(224, MEAN, STD),
        "output": {"name": "embedding", "kind": "embedding", "dim": 512},
        "tta": [],
        "training": {
            "data": "PMC-15M: 15 million figure-caption pairs from PubMed Central articles (BioMedCLIP pretraining); "
                    "not fine-tuned on knees" + (" - RANDOM TEST WEIGHTS, not trained" if random_test else ""),
            "licence": LICENCE,
            "attribution": ATTRIBUTION,
            "command": command,
            "commit": git_commit() or "unknown",
            "sourceCheckpoint": checkpoint.name,
            "sourceCheckpointSha256": checkpoint_sha,
            "randomTestWeights": random_test,
        },
    }


def placeholder_card(name: str) -> dict:
    """The card of the not-yet-converted model: same contract, sha256 zeros, instructions in the text."""
    return {
        "schema": SCHEMA,
        "name": name,
        "version": "1.0.0",
        "approach": "embedding",
        "architecture": "vit-b16-biomedclip",
        "file": "model.onnx",
        "sha256": "0" * 64,
        "description": (
            "NOT INSTALLED: the BioMedCLIP weights (MIT) cannot ship with KneeGrade. With internet access, download "
            f"open_clip_pytorch_model.bin from https://huggingface.co/{HF_REPO} and run, in training/: python -m "
            "kneegrade_train.biomedclip --checkpoint <path>/open_clip_pytorch_model.bin --out "
            "../resources/models/biomedclip-vitb16 (see training/README.md). It replaces this card with the real one."
        ),
        "input": input_contract(224, MEAN, STD),
        "output": {"name": "embedding", "kind": "embedding", "dim": 512},
        "tta": [],
        "training": {
            "data": "PMC-15M: 15 million figure-caption pairs from PubMed Central articles (BioMedCLIP pretraining); "
                    "not fine-tuned on knees",
            "licence": LICENCE,
            "attribution": ATTRIBUTION,
            "command": "python -m kneegrade_train.biomedclip --checkpoint open_clip_pytorch_model.bin "
                       "--out ../resources/models/biomedclip-vitb16 (cwd training/)",
            "installed": False,
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--placeholder", action="store_true", help="write only a not-installed card into --out")
    src.add_argument("--checkpoint", type=Path, help="open_clip_pytorch_model.bin from " + HF_REPO)
    src.add_argument("--random-test", type=Path, metavar="DIR", help="write and convert a random stand-in checkpoint in DIR")
    ap.add_argument("--depth", type=int, default=12, help="blocks of the random stand-in (12 = real ViT-B)")
    ap.add_argument("--out", required=True, type=Path, help="model folder to write (model.onnx + model.json)")
    ap.add_argument("--name", default=None)
    ap.add_argument("--precision", choices=["fp32", "fp16"], default="fp32",
                    help="fp16 stores the weights as float16 (half the size; computation stays float32)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)

    if args.placeholder:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "model.json").write_text(json.dumps(placeholder_card(args.name or "biomedclip-vitb16"), indent=2) + "\n")
        print(f"[biomedclip] wrote placeholder card {args.out / 'model.json'}", flush=True)
        return 0
    random_test = args.random_test is not None
    ckpt = write_random_checkpoint(args.random_test / "open_clip_pytorch_model.bin", args.depth) if random_test else args.checkpoint
    if not ckpt.is_file():
        print(f"error: {ckpt}: checkpoint not found (download it from https://huggingface.co/{HF_REPO})", file=sys.stderr)
        return 2
    model = build_from_state(visual_state_dict(ckpt), ckpt)
    depth = len(model.trunk.blocks)
    name = args.name or ("biomedclip-vitb16" + ("-random-test" if random_test else ""))
    print(f"[biomedclip] {ckpt}: ViT depth {depth}, {sum(p.numel() for p in model.parameters()):,} parameters", flush=True)

    args.out.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out / "model.onnx"
    meta = {"kneegrade.name": name, "kneegrade.architecture": "vit-b16-biomedclip", "kneegrade.precision": args.precision}
    if args.precision == "fp32":
        export_onnx(model, 224, onnx_path, output_name="embedding", metadata=meta)
        ref = model
    else:
        from .rounding import round_weights_fp16

        ref = round_weights_fp16(model)
        tmp = Path(tempfile.mkdtemp(prefix="kneegrade-clip-"))
        try:
            export_onnx(ref, 224, tmp / "rounded.onnx", output_name="embedding", metadata=meta)
            to_fp16_weights(tmp / "rounded.onnx", onnx_path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    diff = check_parity(ref, onnx_path)
    print(f"[biomedclip] onnxruntime vs PyTorch max |diff| {diff:.2e}", flush=True)
    command = " ".join(shlex.quote(a) for a in ["python", "-m", "kneegrade_train.biomedclip", *(argv if argv is not None else sys.argv[1:])])
    c = card(name=name, onnx_path=onnx_path, checkpoint=ckpt, checkpoint_sha=sha256_file(ckpt), depth=depth,
             random_test=random_test, command=command + " (cwd training/)", precision=args.precision)
    c["training"]["parityMaxAbsDiff"] = diff
    (args.out / "model.json").write_text(json.dumps(c, indent=2) + "\n")
    print(f"[biomedclip] wrote {onnx_path} ({onnx_path.stat().st_size / 1e6:.1f} MB) and model.json", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
