"""LANGUAGE.md §8.17: the multimodal demo builtins — CLIP-style encoders and embeddings, images, visual
question answering, scene graphs, temporal events, visual grounding and multimodal chains of thought.

Every one of them is an R builtin (§8.0): the arity message is `NAME requires N arguments: …` and extra
arguments are ignored. The objects are opaque and updated functionally (the setter returns the new object,
which the program reassigns); what programs observe is their print text (§5.4), the getters' arrays, and the
kinds listed here. Free-text parameters (captions, questions, phrases) accept any value as far as the checker
is concerned: §8 does not say how the run time treats a non-string there.
"""

from __future__ import annotations

from functools import partial

from charl_core.builtins.rules import fixed_array, returns
from charl_core.builtins.spec import ArityStyle, Builtin, Kind, Param
from charl_core.types import (
    ANY,
    FLOAT,
    INT,
    NULL,
    STRING,
    ArrayType,
    ObjectType,
    union,
)

ENCODER = ObjectType("clip_encoder")
EMBEDDING = ObjectType("multimodal_embedding")
IMAGE = ObjectType("image")
VQA = ObjectType("vqa_system")
SCENE_OBJECT = ObjectType("scene_object")
SCENE_GRAPH = ObjectType("scene_graph")
GENERATOR = ObjectType("scene_graph_generator")
EVENT = ObjectType("temporal_event")
GROUNDING = ObjectType("visual_grounding")
REASONER = ObjectType("multimodal_reasoner")
COT = ObjectType("multimodal_cot")


def _object(name: str, kind: ObjectType) -> Param:
    return Param(name, Kind.OBJECT, object_kind=kind.kind)


_multimodal = partial(Builtin, section="8.17", arity_style=ArityStyle.REQUIRES)
"""Every §8.17 entry is in section 8.17 and has R arity."""


_R = "Extra arguments are ignored."
_ENCODER = _object("encoder", ENCODER)
_GRAPH = _object("graph", SCENE_GRAPH)
_IMAGE_EXAMPLE = "image_create(1, 2, 2, [0.1, 0.2, 0.3, 0.4])"
_CAT = 'scene_object_create(1, "cat", [0.0, 0.0, 10.0, 10.0])'
_SCENE_EXAMPLE = f"let g = scene_graph_add_object(scene_graph_create(), {_CAT})"
_REASONER_EXAMPLE = "let mr = multimodal_reasoner_create(visual_grounding_create(clip_encoder_create(64)))"

VQA_ANSWER = union(fixed_array(STRING, FLOAT, ANY), NULL)
COT_INFO = fixed_array(STRING, STRING, FLOAT, INT)
COT_STEP = fixed_array(INT, STRING, ANY, FLOAT)
GROUNDED = ArrayType(fixed_array(ANY, FLOAT))

BUILTINS: tuple[Builtin, ...] = (
    # ── CLIP encoder and embeddings ──
    _multimodal(
        name="clip_encoder_create",
        usage="clip_encoder_create(embedding_dim)",
        params=(Param("embedding_dim", Kind.NUMBER),),
        result=returns(ENCODER),
        summary="Create a CLIP-style encoder that embeds images and texts in one space",
        doc="Makes a `clip_encoder` producing embeddings of `embedding_dim` dimensions for images "
        "(`clip_encode_image`) and texts (`clip_encode_text`), comparable with "
        f"`embedding_cosine_similarity`. Prints as `CLIPEncoder(dim=64, temp=‹temperature›)`. {_R}",
        example="let enc = clip_encoder_create(64)\nprint(enc)",
    ),
    _multimodal(
        name="clip_encode_image",
        usage="clip_encode_image(encoder, image)",
        params=(_ENCODER, _object("image", IMAGE)),
        result=returns(EMBEDDING),
        summary="Embed an image with a CLIP encoder",
        doc="Encodes an `image` (from `image_create`) into a `multimodal_embedding` of the encoder's "
        f"dimension. Prints as `MultimodalEmbedding(‹Modality›, dim=64)`. {_R}",
        example=f"let enc = clip_encoder_create(64)\nprint(clip_encode_image(enc, {_IMAGE_EXAMPLE}))",
    ),
    _multimodal(
        name="clip_encode_text",
        usage="clip_encode_text(encoder, text)",
        params=(_ENCODER, Param("text")),
        result=returns(EMBEDDING),
        summary="Embed a text with a CLIP encoder",
        doc="Encodes the string `text` into a `multimodal_embedding` of the encoder's dimension. Prints as "
        f"`MultimodalEmbedding(‹Modality›, dim=64)`. {_R}",
        example='let enc = clip_encoder_create(64)\nprint(clip_encode_text(enc, "a red square"))',
    ),
    _multimodal(
        name="embedding_cosine_similarity",
        usage="embedding_cosine_similarity(emb1, emb2)",
        params=(_object("emb1", EMBEDDING), _object("emb2", EMBEDDING)),
        result=returns(FLOAT),
        summary="Cosine similarity of two multimodal embeddings",
        doc="Returns the cosine of the angle between the two embedding vectors, a float in [-1, 1]: how "
        f"close an image and a caption (or two texts, two images) are. {_R}",
        example="let enc = clip_encoder_create(64)\n"
        'let a = clip_encode_text(enc, "a red square")\n'
        'print(embedding_cosine_similarity(a, clip_encode_text(enc, "a blue square")))',
    ),
    # ── images and visual question answering ──
    _multimodal(
        name="image_create",
        usage="image_create(id, width, height, pixels_array)",
        params=(
            Param("id"),
            Param("width", Kind.NUMBER),
            Param("height", Kind.NUMBER),
            Param("pixels_array", Kind.NUMBERS),
        ),
        result=returns(IMAGE),
        summary="Create an image from its size and an array of pixel values",
        doc="Makes an `image` with an `id`, a `width` × `height` size and the flat array of pixel values. "
        f"Prints as `Image(id=1, 2x2, 4 pixels)`. {_R}",
        example=f"let img = {_IMAGE_EXAMPLE}\nprint(img)",
    ),
    _multimodal(
        name="image_with_caption",
        usage="image_with_caption(image, caption)",
        params=(_object("image", IMAGE), Param("caption")),
        result=returns(IMAGE),
        summary="Return the image with a caption attached",
        doc=f"Returns a copy of the `image` carrying the `caption` text (reassign it). {_R}",
        example=f'let img = image_with_caption({_IMAGE_EXAMPLE}, "a red square")\nprint(img)',
    ),
    _multimodal(
        name="vqa_create",
        usage="vqa_create(encoder)",
        params=(_ENCODER,),
        result=returns(VQA),
        summary="Create a visual question answering system on a CLIP encoder",
        doc=f"Makes a `vqa_system` that answers questions about images with `vqa_answer`. Prints as "
        f"`VQASystem`. {_R}",
        example="let vqa = vqa_create(clip_encoder_create(64))\nprint(vqa)",
    ),
    _multimodal(
        name="vqa_add_qa",
        usage="vqa_add_qa(vqa, image_id, question, answer)",
        params=(_object("vqa", VQA), Param("image_id"), Param("question"), Param("answer")),
        result=returns(NULL),
        summary="Add a known question-answer pair about an image; returns null",
        doc="Records that `question` about the image `image_id` has the answer `answer`, and returns null. "
        "No builtin mutates its arguments (§5.1) and this one returns no updated system, so the pair does "
        f"not survive the call: `vqa` is unchanged afterwards. {_R}",
        example="let vqa = vqa_create(clip_encoder_create(64))\n"
        'print(vqa_add_qa(vqa, 1, "What color is it?", "red"))',
    ),
    _multimodal(
        name="vqa_answer",
        usage="vqa_answer(vqa, image, question)",
        params=(_object("vqa", VQA), _object("image", IMAGE), Param("question")),
        result=returns(VQA_ANSWER),
        summary="Answer a question about an image: [answer, confidence, reasoning], or null",
        doc="Answers `question` about the `image` and returns the array `[answer, confidence, reasoning]` "
        f"(the answer a string, the confidence a float), or null when the system has no answer. {_R}",
        example="let vqa = vqa_create(clip_encoder_create(64))\n"
        f'print(vqa_answer(vqa, {_IMAGE_EXAMPLE}, "What color is it?"))',
    ),
    _multimodal(
        name="cross_modal_create",
        usage="cross_modal_create(encoder)",
        params=(_ENCODER,),
        result=returns(ObjectType("cross_modal_retrieval")),
        summary="Create a cross-modal (image ↔ text) retrieval index on a CLIP encoder",
        doc="Makes a `cross_modal_retrieval` object that retrieves images for texts and texts for images "
        f"through the encoder's shared embedding space. Prints as `CrossModalRetrieval(top_k=‹k›)`. {_R}",
        example="print(cross_modal_create(clip_encoder_create(64)))",
    ),
    # ── scene objects and scene graphs ──
    _multimodal(
        name="scene_object_create",
        usage="scene_object_create(id, class, bbox_array)",
        params=(Param("id"), Param("class"), Param("bbox_array", Kind.NUMBERS)),
        result=returns(SCENE_OBJECT),
        summary="Create a detected scene object with a class and a bounding box",
        doc="Makes a `scene_object` with an `id`, a `class` name and a bounding box `[x, y, w, h]`. Prints "
        f"as `SceneObject(id=1, class=cat, conf=‹confidence, 2 decimals›)`. {_R}",
        example=f"let cat = {_CAT}\nprint(cat)",
    ),
    _multimodal(
        name="scene_object_with_attribute",
        usage="scene_object_with_attribute(obj, attribute)",
        params=(_object("obj", SCENE_OBJECT), Param("attribute")),
        result=returns(SCENE_OBJECT),
        summary="Return the scene object with one more attribute",
        doc=f"Returns a copy of the `scene_object` with the `attribute` (e.g. a colour) added. {_R}",
        example=f'let cat = scene_object_with_attribute({_CAT}, "black")\nprint(cat)',
    ),
    _multimodal(
        name="scene_graph_create",
        usage="scene_graph_create()",
        params=(),
        result=returns(SCENE_GRAPH),
        summary="Create an empty scene graph",
        doc="Makes a `scene_graph` with no objects and no relations. Prints as "
        "`SceneGraph(objects=0, relations=0)`. Arguments are ignored.",
        example="let g = scene_graph_create()\nprint(g)",
    ),
    _multimodal(
        name="scene_graph_add_object",
        usage="scene_graph_add_object(graph, object)",
        params=(_GRAPH, _object("object", SCENE_OBJECT)),
        result=returns(SCENE_GRAPH),
        summary="Return the scene graph with one more object",
        doc=f"Adds the `scene_object` and returns the updated `scene_graph` (reassign it). {_R}",
        example=f"{_SCENE_EXAMPLE}\nprint(g)",
    ),
    _multimodal(
        name="scene_graph_add_relation",
        usage="scene_graph_add_relation(graph, subject_id, relation, object_id)",
        params=(_GRAPH, Param("subject_id"), Param("relation"), Param("object_id")),
        result=returns(SCENE_GRAPH),
        summary="Return the scene graph with a relation between two of its objects",
        doc="Adds the relation `subject_id relation object_id` (e.g. `1 on 2`) and returns the updated "
        f"`scene_graph`. {_R}",
        example=f"{_SCENE_EXAMPLE}\n"
        'g = scene_graph_add_object(g, scene_object_create(2, "mat", [0.0, 8.0, 20.0, 4.0]))\n'
        'print(scene_graph_add_relation(g, 1, "on", 2))',
    ),
    _multimodal(
        name="scene_graph_get_relations",
        usage="scene_graph_get_relations(graph, object_id)",
        params=(_GRAPH, Param("object_id")),
        result=returns(ArrayType(STRING)),
        summary="The relations of one object of a scene graph, as an array of strings",
        doc=f"Returns the relations that involve the object `object_id`, one string each. {_R}",
        example=f"{_SCENE_EXAMPLE}\nprint(scene_graph_get_relations(g, 1))",
    ),
    _multimodal(
        name="scene_graph_to_description",
        usage="scene_graph_to_description(graph)",
        params=(_GRAPH,),
        result=returns(STRING),
        summary="Describe a scene graph in words",
        doc=f"Returns a string describing the graph's objects and relations. {_R}",
        example=f"{_SCENE_EXAMPLE}\nprint(scene_graph_to_description(g))",
    ),
    _multimodal(
        name="scene_graph_generator_create",
        usage="scene_graph_generator_create()",
        params=(),
        result=returns(GENERATOR),
        summary="Create a generator that builds scene graphs from detected objects",
        doc="Makes a `scene_graph_generator`; `scene_graph_generate` turns an array of scene objects into a "
        "`scene_graph`. Prints as `SceneGraphGenerator`. Arguments are ignored.",
        example="print(scene_graph_generator_create())",
    ),
    _multimodal(
        name="scene_graph_generate",
        usage="scene_graph_generate(generator, objects_array)",
        params=(_object("generator", GENERATOR), Param("objects_array", Kind.ARRAY)),
        result=returns(SCENE_GRAPH),
        summary="Build a scene graph from an array of scene objects",
        doc="Returns a `scene_graph` holding the objects of `objects_array` (an array of `scene_object`s) "
        f"and the relations the generator infers between them. {_R}",
        example=f"let gen = scene_graph_generator_create()\nprint(scene_graph_generate(gen, [{_CAT}]))",
    ),
    # ── temporal events ──
    _multimodal(
        name="temporal_event_create",
        usage="temporal_event_create(id, description, start, end)",
        params=(Param("id"), Param("description"), Param("start", Kind.NUMBER), Param("end", Kind.NUMBER)),
        result=returns(EVENT),
        summary="Create an event that happens between a start and an end time",
        doc="Makes a `temporal_event` with an `id`, a `description` and the interval from `start` to "
        f"`end`. Prints as `TemporalEvent(id=1, 0.0-2.0)` (times with one decimal). {_R}",
        example='let opens = temporal_event_create(1, "door opens", 0.0, 2.0)\nprint(opens)',
    ),
    _multimodal(
        name="temporal_event_with_object",
        usage="temporal_event_with_object(event, object_id)",
        params=(_object("event", EVENT), Param("object_id")),
        result=returns(EVENT),
        summary="Return the event with one more object involved in it",
        doc=f"Returns a copy of the `temporal_event` that also involves the scene object `object_id`. {_R}",
        example='let opens = temporal_event_create(1, "door opens", 0.0, 2.0)\n'
        "print(temporal_event_with_object(opens, 1))",
    ),
    _multimodal(
        name="temporal_event_relation",
        usage="temporal_event_relation(event1, event2)",
        params=(_object("event1", EVENT), _object("event2", EVENT)),
        result=returns(STRING),
        summary='How two events relate in time: "before", "after", "during" or "overlaps"',
        doc='Compares the two intervals and returns one of the strings `"before"`, `"after"`, `"during"` '
        f'and `"overlaps"`, read as "event1 is … event2". {_R}',
        example='let opens = temporal_event_create(1, "door opens", 0.0, 2.0)\n'
        'print(temporal_event_relation(opens, temporal_event_create(2, "cat enters", 3.0, 5.0)))',
    ),
    # ── grounding and multimodal reasoning ──
    _multimodal(
        name="visual_grounding_create",
        usage="visual_grounding_create(encoder)",
        params=(_ENCODER,),
        result=returns(GROUNDING),
        summary="Create a visual grounding model that links phrases to scene objects",
        doc="Makes a `visual_grounding` object that scores the objects of a scene against a phrase with "
        f"`visual_grounding_ground_phrase`. Prints as `VisualGrounding`. {_R}",
        example="print(visual_grounding_create(clip_encoder_create(64)))",
    ),
    _multimodal(
        name="visual_grounding_ground_phrase",
        usage="visual_grounding_ground_phrase(grounding, phrase, scene)",
        params=(_object("grounding", GROUNDING), Param("phrase"), Param("scene")),
        result=returns(GROUNDED),
        summary="Score the objects of a scene against a phrase: an array of [obj_id, score]",
        doc="Finds the objects of `scene` (a scene graph) that the `phrase` refers to and returns an array "
        f"of `[obj_id, score]` pairs, the score a float. {_R}",
        example=f"{_SCENE_EXAMPLE}\n"
        "let vg = visual_grounding_create(clip_encoder_create(64))\n"
        'print(visual_grounding_ground_phrase(vg, "the cat", g))',
    ),
    _multimodal(
        name="multimodal_reasoner_create",
        usage="multimodal_reasoner_create(grounding)",
        params=(_object("grounding", GROUNDING),),
        result=returns(REASONER),
        summary="Create a multimodal reasoner on a visual grounding model",
        doc="Makes a `multimodal_reasoner` that answers questions about a scene step by step with "
        f"`multimodal_reasoner_reason`. Prints as `MultimodalReasoner`. {_R}",
        example=f"{_REASONER_EXAMPLE}\nprint(mr)",
    ),
    _multimodal(
        name="multimodal_reasoner_reason",
        usage="multimodal_reasoner_reason(reasoner, question, scene)",
        params=(_object("reasoner", REASONER), Param("question"), Param("scene")),
        result=returns(COT),
        summary="Reason about a question over a scene, giving a multimodal chain of thought",
        doc="Answers `question` about `scene` (a scene graph) and returns the reasoning as a "
        "`multimodal_cot`. Prints as `MultimodalCoT(question=‹question›, answer=‹answer›, steps=‹n›)`; "
        f"read it with `multimodal_cot_get_info` and `multimodal_cot_get_step`. {_R}",
        example=f"{_SCENE_EXAMPLE}\n{_REASONER_EXAMPLE}\n"
        'print(multimodal_reasoner_reason(mr, "Where is the cat?", g))',
    ),
    _multimodal(
        name="multimodal_cot_get_info",
        usage="multimodal_cot_get_info(cot)",
        params=(_object("cot", COT),),
        result=returns(COT_INFO),
        summary="A multimodal chain of thought as [question, answer, confidence, num_steps]",
        doc="Returns the array `[question, answer, confidence, num_steps]`: two strings, a float and an "
        f"integer. {_R}",
        example=f"{_SCENE_EXAMPLE}\n{_REASONER_EXAMPLE}\n"
        'print(multimodal_cot_get_info(multimodal_reasoner_reason(mr, "Where is the cat?", g)))',
    ),
    _multimodal(
        name="multimodal_cot_get_step",
        usage="multimodal_cot_get_step(cot, step_num)",
        params=(_object("cot", COT), Param("step_num", Kind.NUMBER)),
        result=returns(COT_STEP),
        summary="One step of a multimodal chain of thought as [step_number, thought, modality, confidence]",
        doc="Returns the array `[step_number, thought, modality, confidence]` for step `step_num`: the step "
        f"number an integer, the thought a string, the confidence a float. {_R}",
        example=f"{_SCENE_EXAMPLE}\n{_REASONER_EXAMPLE}\n"
        'print(multimodal_cot_get_step(multimodal_reasoner_reason(mr, "Where is the cat?", g), 1))',
    ),
)
