"""The architectures have the canonical parameter names, shapes and counts."""

from __future__ import annotations

import torch

from kneegrade_train.models import build_model, convnext, resnet18


def n_params(m: torch.nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def test_resnet18_matches_torchvision_count_and_names():
    m = resnet18(num_classes=1000)
    assert n_params(m) == 11_689_512  # torchvision.models.resnet18()
    sd = m.state_dict()
    assert len(sd) == 122  # torchvision's state_dict has 122 entries (incl. num_batches_tracked)
    for k, shape in {
        "conv1.weight": (64, 3, 7, 7),
        "bn1.running_var": (64,),
        "layer1.0.conv1.weight": (64, 64, 3, 3),
        "layer2.0.downsample.0.weight": (128, 64, 1, 1),
        "layer2.0.downsample.1.weight": (128,),
        "layer4.1.bn2.bias": (512,),
        "fc.weight": (1000, 512),
        "fc.bias": (1000,),
    }.items():
        assert tuple(sd[k].shape) == shape, k


def test_convnext_tiny_matches_reference_count():
    # facebookresearch/ConvNeXt convnext_tiny (1000 classes): 28,589,128 parameters
    assert n_params(convnext("tiny", num_classes=1000)) == 28_589_128


def test_convnext_atto_names_and_shapes():
    sd = convnext("atto", num_classes=5).state_dict()
    assert tuple(sd["downsample_layers.0.0.weight"].shape) == (40, 3, 4, 4)
    assert tuple(sd["downsample_layers.3.1.weight"].shape) == (320, 160, 2, 2)
    assert tuple(sd["stages.2.5.dwconv.weight"].shape) == (160, 1, 7, 7)
    assert tuple(sd["stages.3.1.pwconv1.weight"].shape) == (1280, 320)
    assert tuple(sd["stages.0.0.gamma"].shape) == (40,)
    assert tuple(sd["head.weight"].shape) == (5, 320)
    assert "stages.2.6.dwconv.weight" not in sd  # atto: depths (2, 2, 6, 2)


def test_forward_shapes_any_input_size():
    for arch in ("resnet18", "convnext_atto"):
        m = build_model(arch).eval()
        for s in (64, 112):
            assert m(torch.zeros(2, 3, s, s)).shape == (2, 5)


def test_unknown_architecture_is_refused():
    import pytest

    with pytest.raises(ValueError, match="unknown architecture"):
        build_model("vgg16")
