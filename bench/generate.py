"""Large random data for the search benchmark: supervision cases whose titles
and summaries are recombined clauses of the policy text and of everyday
enforcement matters, so the vocabulary is the portal's own."""

import random
import re
from pathlib import Path

POLICY = Path(__file__).resolve().parents[1] / "casework/data/licheng_measures_2025.txt"
PLACES = [
    "洪家楼街道",
    "王舍人街道",
    "唐冶街道",
    "华山街道",
    "全福街道",
    "东风街道",
    "山大路街道",
]
MATTERS = [
    "占道经营",
    "违规搭建",
    "燃气安全检查",
    "无证经营",
    "食品安全抽检",
    "噪音扰民",
    "渣土运输",
]


def clauses() -> list[str]:
    text = POLICY.read_text(encoding="utf-8")
    parts = re.split(r"[，。；：、\n]", text)
    return [p.strip() for p in parts if 6 <= len(p.strip()) <= 60]


def generate_cases(count: int, seed: int = 2025):
    """Unsaved SupervisionCase objects (with one agency and one field)."""
    from casework.models import Agency, EnforcementField, SupervisionCase

    rng = random.Random(seed)
    pool = clauses()
    agency, _ = Agency.objects.get_or_create(name="基准测试执法机关")
    field, _ = EnforcementField.objects.get_or_create(name="基准测试领域")
    for sequence in range(1, count + 1):
        place, matter = rng.choice(PLACES), rng.choice(MATTERS)
        yield SupervisionCase(
            year=2030,
            sequence=sequence,
            number=f"基准〔2030〕第{sequence}号",
            title=f"{place}{matter}案执法监督",
            agency=agency,
            field=field,
            matter_type="penalty",
            source="report",
            summary="，".join(rng.sample(pool, 4)) + "。",
        )
