"""A scenario of open-craft's branching-xblock (its JSON) as a Maydan scenario draft.

The block keeps `scenario_data = {"nodes": {id: node}, "start_node_id": id}`; its Studio exports
the nodes as a list. A node has `content` (HTML), `media`, `choices` (`text`, `target_node_id`,
`score` 0-100, sometimes `feedback`) and a `hint`; a node without choices is an ending. Accepted
here: the block's fields (with `scenario_data`), the scenario data itself, or the list of nodes.
"""
import re

from .common import Imported, Note, Refused, Writer, language_of, plain, prune, scenario_notes, slug

ID = re.compile(r"[^A-Za-z0-9_.-]+")


def from_json(data):
    settings = data if isinstance(data, dict) else {}
    scenario = settings.get("scenario_data", settings) if isinstance(data, dict) else {"nodes": data}
    nodes = scenario.get("nodes") if isinstance(scenario, dict) else None
    if isinstance(nodes, dict):
        nodes = [dict(n, id=n.get("id") or key) for key, n in nodes.items() if isinstance(n, dict)]
    if not isinstance(nodes, list) or not [n for n in nodes if isinstance(n, dict)]:
        raise Refused("not_branching", "not a branching-xblock scenario: no nodes")
    nodes = [n for n in nodes if isinstance(n, dict)]
    ids = _ids(nodes)
    start = scenario.get("start_node_id") or next((n.get("id") for n in nodes if n.get("type") == "start"), None)
    start = ids.get(str(start), ids[str(nodes[0].get("id"))])
    writer = Writer(language_of([plain(n.get("content")) for n in nodes], ""))
    notes = []
    scored = settings.get("enable_scoring", True) is not False
    if not scored:
        notes.append(Note("unscored_source", "", "scoring was off in the block: its choice scores are kept"))
    built = [_node(node, ids, writer, notes) for node in nodes]
    built = prune(built, start, notes)
    built.sort(key=lambda n: n["id"] != start)
    title = plain(settings.get("display_name")) or "Imported scenario"
    data = {"id": slug(title, "bx"), "title": writer.text(title), "feedback": "immediate", "start": start,
            "nodes": built}
    any_score = any(c.get("score") for n in built for c in n.get("choices", []))
    scenario_notes(writer, notes, any_score)
    return Imported(data, "branching-xblock", writer.language, notes)


def _ids(nodes):
    """Source id -> a Maydan node id (letters, digits, - _ .), unique."""
    found, used = {}, set()
    for index, node in enumerate(nodes):
        raw = str(node.get("id") or f"node-{index + 1}")
        base = ID.sub("-", raw).strip("-._")[:60] or f"node-{index + 1}"
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        found[raw] = candidate
    return found


def _node(node, ids, writer, notes):
    nid = ids[str(node.get("id"))]
    text = plain(node.get("content")) or "…"
    media = node.get("media") if isinstance(node.get("media"), dict) else {}
    if media.get("url") or node.get("left_image_url") or node.get("right_image_url"):
        notes.append(Note("media_left_out", nid, f"{media.get('type') or 'image'} not carried over "
                                                  f"({str(media.get('url') or node.get('left_image_url'))[:80]})"))
    choices = [c for c in node.get("choices") or [] if isinstance(c, dict)]
    built = {"id": nid, "type": "choice", "phase": "study", "text": writer.text(text)}
    hint = plain(node.get("hint"))
    if not choices:
        built["type"] = "ending"
        if hint:
            notes.append(Note("hint_left_out", nid, "an ending shows no hint"))
        return built
    if hint:
        built["hint"] = writer.text(hint)
    built["choices"] = []
    for number, choice in enumerate(choices, 1):
        target = ids.get(str(choice.get("target_node_id") or ""))
        if target is None:
            notes.append(Note("unknown_target", nid, f"choice {number} leads to "
                                                     f"{str(choice.get('target_node_id'))[:60]!r}, which does not exist"))
            target = str(choice.get("target_node_id") or "missing")[:60]
        row = {"id": f"c{number}", "text": writer.text(plain(choice.get("text")) or f"#{number}"), "next": target}
        feedback = plain(choice.get("feedback"))
        if feedback:
            row["feedback"] = writer.text(feedback)
        score = choice.get("score", 0)
        try:
            score = float(score)
        except (TypeError, ValueError):
            score = 0
        if score:
            row["score"] = int(score) if score.is_integer() else score
        if plain(choice.get("hint")):
            notes.append(Note("hint_left_out", nid, f"choice {number} has its own hint; Maydan has one per node"))
        built["choices"].append(row)
    return built
