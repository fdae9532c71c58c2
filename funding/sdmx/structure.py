"""SDMX-ML 2.1 structure messages: the dataflow, its data structure definition, the concept scheme
and the code lists, with the `references=` of the SDMX REST structure queries."""

from .model import (
    AGENCY,
    ATTRIBUTES,
    CODELIST_NAMES,
    CONCEPTS,
    DIMENSIONS,
    DSD,
    FLOW,
    FLOW_DESCRIPTION,
    FLOW_NAME,
    PRIMARY_MEASURE,
    TIME,
    VERSION,
)
from .xml import DECLARATION, element, header, names, text, xmlns

# Structure types of the REST API (SDMX 2.1) and the package/class of their URNs.
TYPES = {
    "dataflow": ("datastructure", "Dataflow"),
    "datastructure": ("datastructure", "DataStructure"),
    "conceptscheme": ("conceptscheme", "ConceptScheme"),
    "codelist": ("codelist", "Codelist"),
}
# Every other structure type of SDMX 2.1: valid in a query, and tcdash has none of them.
OTHER_TYPES = {
    "structure",
    "metadatastructure",
    "categoryscheme",
    "hierarchicalcodelist",
    "organisationscheme",
    "agencyscheme",
    "dataproviderscheme",
    "dataconsumerscheme",
    "organisationunitscheme",
    "metadataflow",
    "reportingtaxonomy",
    "provisionagreement",
    "structureset",
    "process",
    "categorisation",
    "contentconstraint",
    "attachmentconstraint",
    "actualconstraint",
    "allowedconstraint",
}
REFERENCES = ("none", "parents", "parentsandsiblings", "children", "descendants", "all")
# The order SDMX-ML lists structures in (the schema's sequence).
ORDER = ("dataflow", "codelist", "conceptscheme", "datastructure")
CONTAINERS = {
    "dataflow": "str:Dataflows",
    "codelist": "str:Codelists",
    "conceptscheme": "str:Concepts",
    "datastructure": "str:DataStructures",
}


def urn(kind, artefact_id, item=None):
    package, cls = TYPES[kind]
    base = f"urn:sdmx:org.sdmx.infomodel.{package}.{cls}={AGENCY}:{artefact_id}({VERSION})"
    if item is None:
        return base
    item_class = {"codelist": "Code", "conceptscheme": "Concept"}[kind]
    return base.replace(f".{cls}=", f".{item_class}=") + f".{item}"


def artefacts(lists):
    """Every structure tcdash has, as {(type, id): children (type, id)}: the reference graph."""
    codelists = [("codelist", cl) for cl in lists]
    return {
        ("dataflow", FLOW): [("datastructure", DSD)],
        ("datastructure", DSD): [("conceptscheme", CONCEPTS), *codelists],
        ("conceptscheme", CONCEPTS): [],
        **{cl: [] for cl in codelists},
    }


def select(kind, *, agency, artefact_id, version, lists):
    """The (type, id) pairs a structure query's path matches (empty: none). `all` matches any."""
    if agency not in ("all", AGENCY) or version not in ("all", "latest", VERSION):
        return []
    return [key for key in artefacts(lists) if kind in (key[0], "structure") and artefact_id in ("all", key[1])]


def resolve(matched, references, lists):
    """`matched` plus what `references` (see REFERENCES, or a structure type) brings along."""
    graph = artefacts(lists)
    parents = {key: [p for p, children in graph.items() if key in children] for key in graph}

    def descendants(key):
        found = []
        for child in graph[key]:
            found += [child, *descendants(child)]
        return found

    def ancestors(key):
        found = []
        for parent in parents[key]:
            found += [parent, *ancestors(parent)]
        return found

    result = list(matched)
    for key in matched:
        if references in ("parents", "parentsandsiblings", "all"):
            result += parents[key]
        if references in ("parentsandsiblings", "all"):
            result += [sibling for parent in parents[key] for sibling in graph[parent]]
        if references == "children":
            result += graph[key]
        if references in ("descendants", "all"):
            result += descendants(key)
        if references in TYPES:
            result += [k for k in ancestors(key) + descendants(key) if k[0] == references]
    return list(dict.fromkeys(result))


def _ref(kind, artefact_id, **extra):
    package, cls = TYPES[kind]
    return element("Ref", id=artefact_id, agencyID=AGENCY, version=VERSION, package=package, class_=cls, **extra)


def _concept_ref(concept):
    return element(
        "str:ConceptIdentity",
        element(
            "Ref",
            id=concept,
            maintainableParentID=CONCEPTS,
            maintainableParentVersion=VERSION,
            agencyID=AGENCY,
            package="conceptscheme",
            class_="Concept",
        ),
    )


def _maintainable(tag, kind, artefact_id, name, content="", description=None):
    body = names("com:Name", name)
    if description:
        body += names("com:Description", description)
    return element(
        tag,
        body + content,
        id=artefact_id,
        urn=urn(kind, artefact_id),
        agencyID=AGENCY,
        version=VERSION,
        isFinal="false",
    )


def dataflow():
    return _maintainable(
        "str:Dataflow",
        "dataflow",
        FLOW,
        {"en": FLOW_NAME},
        element("str:Structure", _ref("datastructure", DSD)),
        description={"en": FLOW_DESCRIPTION},
    )


def codelist(codelist_id, codes):
    items = ""
    for code in codes:
        parent = element("str:Parent", element("Ref", id=code["parent"])) if code["parent"] else ""
        items += element(
            "str:Code",
            names("com:Name", code["names"]) + parent,
            id=code["id"],
            urn=urn("codelist", codelist_id, code["id"]),
        )
    return _maintainable("str:Codelist", "codelist", codelist_id, {"en": CODELIST_NAMES[codelist_id]}, items)


def concept_scheme():
    concepts = [d[:2] for d in DIMENSIONS] + [TIME, PRIMARY_MEASURE] + [a[:2] for a in ATTRIBUTES]
    items = "".join(
        element("str:Concept", text("com:Name", name, xml__lang="en"), id=cid, urn=urn("conceptscheme", CONCEPTS, cid))
        for cid, name in concepts
    )
    return _maintainable("str:ConceptScheme", "conceptscheme", CONCEPTS, {"en": "Concepts of " + FLOW_NAME}, items)


def _enumeration(codelist_id):
    return element("str:LocalRepresentation", element("str:Enumeration", _ref("codelist", codelist_id)))


def _text_format(text_type):
    return element("str:LocalRepresentation", element("str:TextFormat", textType=text_type))


def data_structure():
    dimensions = "".join(
        element("str:Dimension", _concept_ref(did) + _enumeration(cl), id=did, position=str(position))
        for position, (did, _, cl, _) in enumerate(DIMENSIONS, start=1)
    )
    dimensions += element(
        "str:TimeDimension",
        _concept_ref(TIME[0]) + _text_format("ObservationalTimePeriod"),
        id=TIME[0],
        position=str(len(DIMENSIONS) + 1),
    )
    attributes = "".join(
        element(
            "str:Attribute",
            _concept_ref(aid)
            + (_enumeration(cl) if cl else _text_format("String"))
            + element(
                "str:AttributeRelationship", element("str:PrimaryMeasure", element("Ref", id=PRIMARY_MEASURE[0]))
            ),
            id=aid,
            assignmentStatus="Mandatory" if mandatory else "Conditional",
        )
        for aid, _, cl, mandatory, _ in ATTRIBUTES
    )
    measure = element(
        "str:PrimaryMeasure", _concept_ref(PRIMARY_MEASURE[0]) + _text_format("Decimal"), id=PRIMARY_MEASURE[0]
    )
    components = (
        element("str:DimensionList", dimensions, id="DimensionDescriptor")
        + element("str:AttributeList", attributes, id="AttributeDescriptor")
        + element("str:MeasureList", measure, id="MeasureDescriptor")
    )
    return _maintainable(
        "str:DataStructure",
        "datastructure",
        DSD,
        {"en": FLOW_NAME},
        element("str:DataStructureComponents", components),
    )


def structure_message(keys, *, lists, message_id, prepared):
    """An SDMX-ML 2.1 structure message (text) holding the artefacts `keys` names."""
    writers = {
        "dataflow": lambda _: dataflow(),
        "datastructure": lambda _: data_structure(),
        "conceptscheme": lambda _: concept_scheme(),
        "codelist": lambda cl: codelist(cl, lists[cl]),
    }
    structures = ""
    for kind in ORDER:
        chosen = [artefact_id for k, artefact_id in keys if k == kind]
        if chosen:
            structures += element(CONTAINERS[kind], "".join(writers[kind](a) for a in chosen))
    return DECLARATION + element(
        "mes:Structure",
        header(message_id=message_id, prepared=prepared) + element("mes:Structures", structures),
        **xmlns("mes", "com", "str"),
    )
