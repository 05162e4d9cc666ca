"""Small builders for store tests."""

from PIL import Image

from engine.store.shots import add_shot

PLAN = {
    "pipeline": "keyframe",
    "target_model": "nbp",
    "shot_size": "medium",
    "env_only": False,
    "environment": "flooded subway platform",
    "lighting": "flickering fluorescent tubes",
    "subjects": [{"name": "Mara Quell", "identity": "human", "emotion": "wary"}],
    "action": "runs toward the stairs",
}


def add_shots(store, *codes, episode="EP01", scene="SC01"):
    with store.write() as s:
        for code in codes:
            add_shot(s, episode=episode, scene=scene, code=code, plan=PLAN)


def image(path, colour=(40, 80, 120), size=(64, 36)):
    Image.new("RGB", size, colour).save(path)
    return path
