"""No new import cycle: the strongly connected parts of consortium's import graph (grimp, the
graph import-linter reads; imports inside functions included, since they are dependencies
too) are at most the cycles known when this test was written, each to be broken (issue 25)."""
import grimp

KNOWN: list[set[str]] = []  # every cycle of issue 25 broken: none may come back


def cycles(graph) -> list[set[str]]:
    """The graph's strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_the_cycle_finder_finds_a_cycle_and_only_it():
    graph = grimp.ImportGraph()
    for module in ("p.a", "p.b", "p.c", "p.d"):
        graph.add_module(module)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    graph.add_import(importer="p.c", imported="p.d")
    assert cycles(graph) == [{"p.a", "p.b", "p.c"}]


def test_no_import_cycle_beyond_the_known_ones():
    graph = grimp.build_graph("consortium", exclude_type_checking_imports=True, cache_dir=None)
    new = [sorted(c) for c in cycles(graph) if not any(c <= known for known in KNOWN)]
    assert new == [], f"new import cycles: {new}"
