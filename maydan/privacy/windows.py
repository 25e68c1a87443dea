"""Where in a long text a costly pattern is worth running: around the hits of a cheap one."""


def around(pattern, text, reach):
    """(low, high) stretches of `text` within `reach` characters of a match of `pattern`, merged."""
    windows = []
    for match in pattern.finditer(text):
        low, high = max(0, match.start() - reach), match.end() + reach
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    return windows
