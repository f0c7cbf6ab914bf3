"""Networks outside the two zoo test files: exact totals against reference implementations."""
from costmodel.analysis import analyse, load_spec
from tests.conftest import spec_path


def test_resnet18_matches_torchvision():
    a = analyse(load_spec(spec_path("variants/resnet18.yaml")))
    assert a.totals.params == 11_689_512          # torchvision resnet18 num_params
    assert a.totals.madds == 1_814_073_344        # conv+fc forward hooks (torch 2.13, docs/reference-measurements)
    # BN gamma/beta: 2·(64 + 4·64 + 4·128 + 4·256 + 4·512) + 2·(128 + 256 + 512) shortcuts
    assert a.totals.params - a.params_without_bn == 2 * (64 + 4*64 + 4*128 + 4*256 + 4*512) \
        + 2 * (128 + 256 + 512)


def test_named_repeat_is_a_group_of_its_copies():
    a = analyse(load_spec(spec_path("variants/resnet18.yaml")))
    groups = {r.path: r for r in a.rows if not r.leaf}
    assert "stage1" in groups and "stage1/basic2" in groups
    # a basic block at 64x56x56: two 3x3 convs 64->64 = 2 · 9·64·64 · 56·56 madds
    assert groups["stage1/basic1"].cost.madds == 2 * 9*64*64 * 56*56
