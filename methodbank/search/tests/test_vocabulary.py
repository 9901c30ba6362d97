"""The education vocabulary: what it covers, that every label of a concept reaches Finnish content
(ranked below an exact match), and SKOS/CSV export and import, from the command line and the admin."""

from collections import Counter
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.core.models import AuditEvent
from methodbank.search.models import Concept, ConceptCategory, ConceptLabel, LabelKind
from methodbank.search.selectors import search_entries
from methodbank.search.services import concept_label_add
from methodbank.search.vocabulary import (
    FORMATS,
    from_csv,
    from_turtle,
    records_from_database,
    to_csv,
    to_turtle,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (commands and /en/ pages)."""
    with translation.override("en"):
        yield


def ranked(text, language="fi"):
    return [e.practice_id for e in search_entries(text=text, language=language).entries]


# --- Coverage ------------------------------------------------------------------------------------


def test_the_shipped_vocabulary_covers_every_category_in_three_languages():
    concepts = list(Concept.objects.prefetch_related("labels"))
    assert len(concepts) >= 300
    per_category = Counter(c.category for c in concepts)
    for category in ConceptCategory.values:
        assert per_category[category] >= 10, category
    trilingual = [c for c in concepts if c.pref_label_fi and c.pref_label_sv and c.pref_label_en]
    assert len(trilingual) / len(concepts) >= 0.98
    assert {c.provenance for c in concepts} >= {"oph", "finlex", "yso", "catalog"}


@pytest.mark.parametrize(
    ("label", "finnish"),
    [
        ("HOKS", "henkilökohtainen osaamisen kehittämissuunnitelma"),
        ("TET", "työelämään tutustuminen"),
        ("PRAO", "työelämään tutustuminen"),
        ("VALMA", "ammatilliseen koulutukseen valmentava koulutus"),
        ("TUVA", "tutkintokoulutukseen valmentava koulutus"),
        ("AMK", "ammattikorkeakoulu"),
        ("OPO", "opinto-ohjaaja"),
        ("TNO", "tieto-, neuvonta- ja ohjauspalvelut"),
        ("ELY", "elinkeino-, liikenne- ja ympäristökeskus"),
    ],
)
def test_the_acronyms_of_finnish_education_are_there(label, finnish):
    concept = Concept.objects.get(labels__text=label, labels__kind=LabelKind.ABBREVIATION)
    assert concept.pref_label_fi == finnish
    assert concept.pref_label_sv and concept.pref_label_en


def test_swedish_terms_used_in_finland():
    swedish = dict(Concept.objects.values_list("pref_label_fi", "pref_label_sv"))
    assert swedish["opinto-ohjaaja"] == "studiehandledare"
    assert swedish["ammattikorkeakoulu"] == "yrkeshögskola"
    assert swedish["perusopetus"] == "grundläggande utbildning"
    assert swedish["toinen aste"] == "andra stadiet"
    assert swedish["oppisopimus"] == "läroavtal"


# --- Search reaches Finnish content --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "language", "title"),
    [
        ("duuni", "fi", "Työhön siirtymisen malli"),
        ("kymppiluokka", "fi", "Lisäopetuksen ryhmä"),
        ("nepsy", "fi", "Neuropsykiatrinen valmennus"),
        ("koulupudokas", "fi", "Koulutuksen keskeyttäneiden tavoittaminen"),
        ("yrkeshögskola", "sv", "Ammattikorkeakoulun väyläopinnot"),
        ("läroavtal", "sv", "Oppisopimuksen polku"),
        ("högstadiet", "sv", "Yläkoulun ohjausmalli"),
        ("apprenticeship", "en", "Oppisopimuksen polku"),
        ("career changer", "en", "Alanvaihtajan ohjaus"),
        ("NEET", "en", "Koulutuksen ja työelämän ulkopuolella olevien nuorten tavoittaminen"),
    ],
)
def test_colloquial_swedish_and_english_words_find_finnish_entries(query, language, title):
    practice = PracticeFactory(title=title, summary="Kuvaus.")
    PracticeFactory(title="Liikunnan iltapäivä", summary="Kuvaus.")
    assert ranked(query, language) == [practice.pk]


def test_a_label_ranks_below_the_word_itself():
    exact = PracticeFactory(title="Duuni haussa", summary="Duuni löytyy.")
    expanded = PracticeFactory(title="Työ haussa", summary="Työ löytyy.")
    assert ranked("duuni") == [exact.pk, expanded.pk]


def test_a_new_label_takes_effect_in_search_at_once():
    practice = PracticeFactory(title="Ohjaamon palvelut", summary="Ohjaamo auttaa.")
    assert ranked("nuorten olkkari") == []
    concept = Concept.objects.get(identifier="ohjaamo")
    concept_label_add(concept=concept, text="nuorten olkkari", language="fi", kind=LabelKind.COLLOQUIAL)
    assert ranked("nuorten olkkari") == [practice.pk]
    event = AuditEvent.objects.get(verb="vocabulary.label_added")
    assert event.data["text"] == "nuorten olkkari"


# --- Export and import ---------------------------------------------------------------------------


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_export_import_round_trip_is_identical(format, tmp_path):
    to_text, from_text, _content_type = FORMATS[format]
    concept = Concept.objects.get(identifier="opinto-ohjaaja")
    concept.notes = 'Line one, with "quotes" and a comma.\nLine two.'
    concept.save()
    ConceptLabel.objects.create(concept=concept, text="opinto-ohjaaja", language="", kind=LabelKind.HIDDEN)
    before = to_text(records_from_database())
    count = Concept.objects.count()

    path = tmp_path / f"vocabulary.{format}"
    call_command("export_vocabulary", format=format, out=str(path))
    assert path.read_text(encoding="utf-8") == before

    Concept.objects.all().delete()
    out = StringIO()
    call_command("import_vocabulary", str(path), stdout=out)
    assert f"created {count}, updated 0" in out.getvalue()
    assert to_text(records_from_database()) == before
    assert from_text(before) == records_from_database()

    out = StringIO()
    call_command("import_vocabulary", str(path), stdout=out)
    assert "created 0, updated 0, unchanged" in out.getvalue()


def test_turtle_is_skos_with_the_kinds_kept():
    text = to_turtle(records_from_database())
    assert "skos:Concept" in text and "skos:prefLabel" in text
    tet = next(r for r in from_turtle(text) if r.identifier == "tyoelamaan-tutustuminen")
    assert ("PRAO", "sv", LabelKind.ABBREVIATION) in tet.labels
    assert ("tetti", "fi", LabelKind.COLLOQUIAL) in tet.labels
    # SKOS tools without this vocabulary's sub-properties still see abbreviations as altLabels.
    assert '"PRAO"@sv' in text.split("concept:tyoelamaan-tutustuminen a skos:Concept")[1].split(" .\n")[0]


def test_import_changes_labels_and_replace_deletes_the_rest(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text(
        "identifier,category,provenance,pref_label_fi,pref_label_sv,pref_label_en,alt_labels,abbreviations,"
        "colloquial_labels,hidden_labels,notes\n"
        "opinto-ohjaaja,guidance_role,oph,opinto-ohjaaja,studiehandledare,guidance counsellor,,OPO,opo@fi | opinto-opo@fi,,\n"
        "uusi-kasite,method,coordinators,tulevaisuustyöpaja,framtidsverkstad,future workshop,,,,,\n",
        encoding="utf-8",
    )
    call_command("import_vocabulary", str(path), "--replace")
    assert Concept.objects.count() == 2
    labels = set(
        Concept.objects.get(identifier="opinto-ohjaaja").labels.values_list("text", "language", "kind")
    )
    assert labels == {
        ("OPO", "", "abbreviation"),
        ("opo", "fi", "colloquial"),
        ("opinto-opo", "fi", "colloquial"),
    }
    practice = PracticeFactory(title="Tulevaisuustyöpaja", summary="Kuvaus.")
    assert ranked("framtidsverkstad", "sv") == [practice.pk]
    assert ranked("opinto-opo") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("identifier,category\nx,method\n", "no column"),
        ("identifier,category,provenance,pref_label_fi\nx,nonsense,oph,sana\n", "unknown category"),
        ("identifier,category,provenance,pref_label_fi\nx y,method,oph,sana\n", "identifier"),
        ("identifier,category,provenance,pref_label_fi\nx,method,oph,\n", "Finnish preferred label"),
        ("identifier,category,provenance,pref_label_fi\nx,method,oph,a\nx,method,oph,b\n", "also at"),
        ("identifier,category,provenance,pref_label_fi\nx,method,oph," + "a" * 201 + "\n", "longer than"),
    ],
)
def test_a_bad_csv_changes_nothing_and_says_why(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    before = to_csv(records_from_database())
    with pytest.raises(CommandError, match=message):
        call_command("import_vocabulary", str(path))
    assert to_csv(records_from_database()) == before


def test_a_bad_turtle_file_changes_nothing(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("this is not turtle <<<", encoding="utf-8")
    with pytest.raises(CommandError, match="not a Turtle file"):
        call_command("import_vocabulary", str(path))
    path.write_text("@prefix ex: <http://example.org/> . ex:a ex:b ex:c .", encoding="utf-8")
    with pytest.raises(CommandError, match="no skos:Concept"):
        call_command("import_vocabulary", str(path))
    assert Concept.objects.count() >= 300


@pytest.mark.parametrize("label", ["a | b", "=1+1", "@SUM(A1)", "+358", "-x"])
def test_a_label_that_would_break_or_run_in_a_spreadsheet_is_refused(label):
    records = from_csv(to_csv(records_from_database()))
    records[0].labels.append((label, "fi", LabelKind.ALTERNATIVE))
    with pytest.raises(ValueError, match="A label cannot"):
        from_turtle(to_turtle(records))


# --- Admin ---------------------------------------------------------------------------------------


def test_a_coordinator_exports_and_imports_in_the_admin(client, coordinator):
    client.force_login(coordinator)
    changelist = client.get(reverse("admin:search_concept_changelist"))
    assert reverse("admin:search_concept_import") in changelist.content.decode()
    exported = client.get(reverse("admin:search_concept_export", args=["ttl"]))
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/turtle")
    text = exported.content.decode()
    assert text == to_turtle(records_from_database())

    edited = text.replace('"duuni"@fi', '"duunari-slangi"@fi')
    response = client.post(
        reverse("admin:search_concept_import"),
        {"file": SimpleUploadedFile("vocabulary.ttl", edited.encode(), content_type="text/turtle")},
    )
    assert response.status_code == 302
    assert ConceptLabel.objects.filter(text="duunari-slangi", kind=LabelKind.COLLOQUIAL).exists()
    assert not ConceptLabel.objects.filter(text="duuni").exists()

    selected = Concept.objects.filter(identifier__in=["tyo", "ammattikorkeakoulu"]).values_list(
        "pk", flat=True
    )
    response = client.post(
        reverse("admin:search_concept_changelist"),
        {"action": "export_selected_csv", "_selected_action": [str(pk) for pk in selected]},
    )
    rows = response.content.decode().splitlines()
    assert len(rows) == 3 and rows[1].startswith("ammattikorkeakoulu,") and rows[2].startswith("tyo,")


def test_the_admin_import_shows_the_errors_and_keeps_the_data(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:search_concept_import"),
        {
            "file": SimpleUploadedFile(
                "v.csv", b"identifier,category,provenance,pref_label_fi\nx,bogus,oph,a\n"
            )
        },
    )
    assert response.status_code == 200
    assert "unknown category" in response.content.decode()
    assert not Concept.objects.filter(identifier="x").exists()
    response = client.post(
        reverse("admin:search_concept_import"),
        {"file": SimpleUploadedFile("v.exe", b"MZ")},
    )
    assert response.status_code == 200 and not Concept.objects.filter(identifier="x").exists()


def test_visitors_cannot_import_or_export(client, contributor):
    client.force_login(contributor)
    for url in (reverse("admin:search_concept_import"), reverse("admin:search_concept_export", args=["csv"])):
        assert client.get(url).status_code == 302


# --- Related concepts ----------------------------------------------------------------------------


def test_a_related_concept_finds_what_the_word_alone_does_not_ranked_below_its_own_labels():
    # TUVA replaced VALMA in 2022: entries written before name only the older training.
    valma = PracticeFactory(title="Valman opiskelijoiden siirtyminen", summary="Valma-koulutus.")
    tuva = PracticeFactory(title="TUVA-koulutuksen aloitus", summary="Tuva-opiskelijat.")
    PracticeFactory(title="Liikunnan iltapäivä", summary="Kuvaus.")
    assert ranked("TUVA") == [tuva.pk, valma.pk]


def test_without_the_relation_the_neighbour_is_not_found():
    valma = PracticeFactory(title="Valman opiskelijoiden siirtyminen", summary="Valma-koulutus.")
    Concept.objects.get(identifier="tutkintokoulutukseen-valmentava-koulutus").related.clear()
    assert valma.pk not in ranked("TUVA")


def test_a_word_with_enough_entries_of_its_own_lists_its_neighbours_after_them():
    from methodbank.search.expansion import RELATED_UNTIL

    # Its own entries fill the page first; a neighbour's entry still comes at the end ("vägledning
    # för vuxna": the guidance of adults, then educational counselling).
    own = [PracticeFactory(title=f"TUVA-ryhmä {n}", summary="Tuva-koulutus.").pk for n in range(RELATED_UNTIL)]
    valma = PracticeFactory(title="Valman opiskelijoiden siirtyminen", summary="Valma-koulutus.")
    found = ranked("TUVA")
    assert sorted(found[:-1]) == sorted(own) and found[-1] == valma.pk


def test_beside_other_words_a_neighbours_label_does_not_count_as_the_word():
    # With "ryhmä" the VALMA entry would match every word, one through TUVA's neighbour, and be
    # listed first, above the entry that has the query's rarer word itself.
    tuva = PracticeFactory(title="TUVA-koulutus", summary="Tuva-opiskelijat.")
    valma = PracticeFactory(title="Valma-ryhmä", summary="Valma-koulutus.")
    PracticeFactory(title="Ryhmän ohjaus", summary="Ryhmä kokoontuu.")
    found = ranked("TUVA ryhmä")
    assert found[0] == tuva.pk and valma.pk in found


def test_related_concepts_travel_in_skos_and_csv_both_ways(tmp_path):
    text = to_turtle(records_from_database())
    block = text.split("concept:tutkintokoulutukseen-valmentava-koulutus a skos:Concept")[1].split(" .\n")[0]
    assert "skos:related" in block and "concept:lisaopetus" in block
    records = from_csv(to_csv(records_from_database()))
    tuva = next(r for r in records if r.identifier == "tutkintokoulutukseen-valmentava-koulutus")
    assert "ammatilliseen-koulutukseen-valmentava-koulutus" in tuva.related

    path = tmp_path / "related.csv"
    path.write_text(
        "identifier,category,provenance,pref_label_fi,related\n"
        "mentori,guidance_role,oph,mentori,tutor | nonexistent\n",
        encoding="utf-8",
    )
    call_command("import_vocabulary", str(path), stdout=StringIO())
    mentori = Concept.objects.get(identifier="mentori")
    assert set(mentori.related.values_list("identifier", flat=True)) == {"tutor"}
    # Symmetric: the other side has it too.
    assert mentori in Concept.objects.get(identifier="tutor").related.all()


def test_a_coordinator_relates_concepts_in_the_admin(client, coordinator):
    client.force_login(coordinator)
    concept = Concept.objects.get(identifier="mentori")
    page = client.get(reverse("admin:search_concept_change", args=[concept.pk]))
    assert page.status_code == 200
    assert 'name="related"' in page.content.decode()
