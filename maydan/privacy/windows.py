"""Where in a long text a costly pattern is worth running: around the hits of a cheap one."""


def around(pattern, text, reach, reach_after=None):
    """(low, high) stretches of `text` within `reach` characters of a match of `pattern` (within
    `reach_after` after it, when given), merged."""
    after = reach if reach_after is None else reach_after
    windows = []
    for match in pattern.finditer(text):
        low, high = max(0, match.start() - reach), match.end() + after
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    return windows
