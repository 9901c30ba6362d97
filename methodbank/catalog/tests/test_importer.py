"""The report importer against the real seed, data/zoomi-2020/report.txt.

Expected figures were established by reading the report and cross-checked with grep/awk:

* themes: the body's "A." to "D." headings on lines 134, 275, 534 and 699 (the annex repeats them);
  subthemes: the headings between them that are neither period nor model headings — 5 + 8 + 6 + 5
  = 24, the same as the table of contents (whose spelling differs: "koulutustutustuminen").
* good-practice listings: list items ("^- ") between line 134 and the annex on line 939:
  ``sed -n 134,274p | grep -c '^- '`` etc. gives A 34, B 67, C 44, D 58 = 203. By the period
  heading above them (awk over the headings): 2015–2019: 157, 2019–2021: 46.
* models: headings ending in "(Project)" or "(Project) MALLI" that are not period headings:
  A 3 (lines 183, 189, 230), B 5 (323, 329, 417, 490, 512), C 3 (542, 669, 673),
  D 10 (709, 713, 761, 767, 824, 828, 832, 891, 895, 899) = 21. Models stand outside the period
  lists, so their placements have no period.
* listed twice (same title and project): "HENKILÖKOHTAISTAMINEN - Muistilistat" (SOPU, model on
  line 417 and good practice on 427), "OSAAMISEN HANKKIMINEN - Opintopolut ammatillisessa
  koulutuksessa" (SOPU, model 512 and good practice 520), "Ryhmä- ja yksilövalmennus opintoihin
  palaaville" (Vamos 2. aste, 2019–2021 list on line 556 and 2015–2019 list on line 581).
  So 203 + 21 = 224 placements and 224 - 3 = 221 entries: 21 models (two of them also listed as
  good practices of 2019–2021) and 200 good practices.
  Placements per theme: A 37, B 72, C 47, D 68 (the foreword's own "36, 72, 47, 67" is close).
* projects: 95 rows with an MM/YYYY date in "LIITE: Hankelistaus" (19 national, 66 regional,
  10 other ESF); every project of "Hankekuvaukset" and every entry's project is one of them, so
  no project is created from an entry name. 72 distinct lead spellings in the list
  (awk: column 2 of the rows whose column 3 is a date, sort -u) are 70 organisations: "Lapin Yliopisto" /
  "Lapin yliopisto" and "Etelä-Savon Koulutus OY" / "Oy" differ only in case.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from methodbank.catalog.importers.matching import ProjectMatcher
from methodbank.catalog.importers.parser import ParseError, parse_report
from methodbank.catalog.models import (
    Keyword,
    Organisation,
    Period,
    Placement,
    Practice,
    Project,
    PublicationStatus,
    Subtheme,
    Theme,
)

SEED = "data/zoomi-2020/report.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seed_lines():
    with open(SEED, encoding="utf-8") as handle:
        return handle.read().split("\n")


@pytest.fixture(scope="module")
def parsed(seed_lines):
    return parse_report("\n".join(seed_lines))


def write_copy(tmp_path, lines, name="report.txt"):
    """A modified copy in a directory named like the seed's, so entries share the source key."""
    folder = tmp_path / "zoomi-2020"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run(path, **options):
    out = io.StringIO()
    call_command("import_report", str(path), stdout=out, **options)
    return out.getvalue()


def row_counts():
    models = [Theme, Subtheme, Period, Practice, Placement, Project, Organisation, Keyword]
    return {m.__name__: m.objects.count() for m in models}


# --- counts --------------------------------------------------------------------------------------


def test_seed_counts_per_kind_theme_and_period(seeded_db):
    imported = Practice.objects.filter(source__startswith="zoomi-2020:")
    assert imported.count() == 221
    assert imported.filter(kind="model").count() == 21
    assert imported.filter(kind="good_practice").count() == 200
    placements = Placement.objects.filter(practice__in=imported)
    assert placements.count() == 224
    per_theme = dict(placements.values_list("theme__code").annotate(n=Count("id")))
    assert per_theme == {"A": 37, "B": 72, "C": 47, "D": 68}
    per_period = dict(placements.values_list("period__code").annotate(n=Count("id")))
    assert per_period == {"2015-2019": 157, "2019-2021": 46, None: 21}
    # Per theme, period and kind of the entry.
    rows = placements.values_list("theme__code", "period__code", "practice__kind").annotate(n=Count("id"))
    assert {(t, p, k): n for t, p, k, n in rows} == {
        ("A", "2015-2019", "good_practice"): 27,
        ("A", "2019-2021", "good_practice"): 7,
        ("A", None, "model"): 3,
        ("B", "2015-2019", "good_practice"): 57,
        ("B", "2019-2021", "good_practice"): 8,
        ("B", "2019-2021", "model"): 2,  # the two models the report also lists as good practices
        ("B", None, "model"): 5,
        ("C", "2015-2019", "good_practice"): 32,
        ("C", "2019-2021", "good_practice"): 12,
        ("C", None, "model"): 3,
        ("D", "2015-2019", "good_practice"): 41,
        ("D", "2019-2021", "good_practice"): 17,
        ("D", None, "model"): 10,
    }
    assert Project.objects.count() == 95
    assert dict(Project.objects.values_list("scope").annotate(n=Count("id"))) == {
        "national": 19,
        "regional": 66,
        "other_esf": 10,
    }
    assert Organisation.objects.count() == 70
    assert Organisation.objects.filter(name__iexact="Lapin yliopisto").count() == 1


def test_seed_themes_subthemes_and_periods(seeded_db):
    assert list(Theme.objects.values_list("code", "slug")) == [
        ("A", "a-sujuva-siirtyma-koulutukseen"),
        ("B", "b-sujuvien-siirtymien-ohjaus-koulutuksen-aikana"),
        ("C", "c-varhainen-puuttuminen-keskeyttamisen-tuki-seka-jatkuva-hakeutuminen"),
        ("D", "d-sujuva-siirtyminen-tyoelamaan-ja-jatko-opintoihin"),
    ]
    theme_a = Theme.objects.get(code="A")
    assert theme_a.description.startswith(
        "Zoomi-hankkeen koordinoimissa hankkeissa on syntynyt tähän mennessä 34"
    )
    assert dict(Subtheme.objects.values_list("theme__code").annotate(n=Count("id"))) == {
        "A": 5,
        "B": 8,
        "C": 6,
        "D": 5,
    }
    # The body's heading, not the table of contents' "koulutustutustuminen".
    second = Subtheme.objects.get(theme__code="A", position=2)
    assert second.name == "Hakeutumisvaiheen henkilökohtaistaminen, koulutustutustumisen ja perehdyttäminen"
    assert second.description.startswith("Koordinoiduissa hankkeissa on koettu ilmeisen tärkeäksi")
    assert (
        Subtheme.objects.get(theme__code="C", position=4).name == "Opiskeluhoitoa tukevat käytännöt ja mallit"
    )
    old, new = Period.objects.get(code="2015-2019"), Period.objects.get(code="2019-2021")
    assert (old.starts_on, old.ends_on) == (datetime.date(2015, 8, 1), datetime.date(2019, 4, 30))
    assert (new.starts_on, new.ends_on) == (datetime.date(2019, 5, 1), datetime.date(2021, 12, 31))
    assert old.name == "Zoomi - sujuvien siirtymien kansallinen koordinointi"
    assert new.name == "ZOOMI - sujuvia siirtymiä edistämässä"


# --- spot checks -----------------------------------------------------------------------------------

SPOT_CHECKS = [
    # title, project, theme, subtheme position, period, kind, source line
    ("Lapin koulutusneuvonta", "Lapin TNO-palvelut", "A", 1, "2015-2019", "good_practice", 148),
    ("Jalkautuva koulutusneuvonta", "Siirtymät sujuviksi (SISU)", "A", 1, "2015-2019", "good_practice", 152),
    (
        "Vaativan erityisen tuen nivelvaiheen ohjausmalli",
        "VETOVOIMALA – erityisen ja vaativan erityisen tuen hakeutumisvaiheen palvelujen kehittäminen",
        "A",
        2,
        None,
        "model",
        189,
    ),
    (
        "Palvelupolku - Näin toimit Avoimet ammatilliset opinnot -palvelussa",
        "Avoimet ammatilliset opinnot",
        "A",
        3,
        None,
        "model",
        230,
    ),
    ("#ICTmittari", "#ICTknowhow", "B", 1, "2015-2019", "good_practice", 308),
    (
        "#Valmennus-pilotti",
        "#Hyvinvoiva amis. Peruskoulusta ammattiopintoihin ja työelämään Lapissa",
        "B",
        2,
        None,
        "model",
        323,
    ),
    (
        "Ohjaus eri oppimisympäristöissä -täydennyskoulutus",
        "Erilaisia Polkuja Pitkin Ammattiin –hanke (EPPA)",
        "B",
        2,
        "2019-2021",
        "good_practice",
        339,
    ),
    ("Tukitoiminta (OSAO)", "Opin portailla Pohjois-Pohjanmaalla", "B", 2, "2015-2019", "good_practice", 371),
    ("Dude Show Your Digi! -ympäristö", "DUDE - Do yoUr own DiligencE", "B", 7, None, "model", 490),
    ("HAKEUTUMINEN - Hakijan portaat", "SOPU - Sujuvat omat polut", "C", 6, None, "model", 669),
    (
        "Toiminnallisen yhteistyön timantti",
        "Erilaisia Polkuja Pitkin Ammattiin –hanke (EPPA)",
        "D",
        2,
        None,
        "model",
        767,
    ),
    (
        "CV-pohja Wilma-järjestelmään",
        "NISU Nivelvaiheiden sujuvoittaminen",
        "D",
        5,
        "2015-2019",
        "good_practice",
        922,
    ),
    (
        "Parhaat ohjauspalvelut Uudellemaalle! -ohjauskirja",
        "Yhdessä takuuseen",
        "B",
        2,
        "2015-2019",
        "good_practice",
        350,
    ),
]


@pytest.mark.parametrize("title,project,theme,subtheme,period,kind,line", SPOT_CHECKS)
def test_spot_checks(seeded_db, title, project, theme, subtheme, period, kind, line):
    practice = Practice.objects.get(title=title)
    assert practice.project.name == project
    assert practice.kind == kind
    assert practice.source == f"zoomi-2020:line {line}"
    assert practice.status == PublicationStatus.PUBLISHED and practice.published_at is not None
    assert list(practice.keywords.values_list("name", flat=True)) == ["sujuvat siirtymät"]
    assert practice.goal_and_target_group == practice.content_and_actions == practice.contacts == ""
    (placement,) = practice.placements.all()
    assert placement.theme.code == theme
    assert placement.subtheme.position == subtheme
    assert (placement.period.code if placement.period else None) == period


def test_summaries_are_the_reports_text(seeded_db):
    # A summary continued after a page break is one paragraph (lines 315 and 317).
    tool = Practice.objects.get(title='"Yhden linkin kautta oikealle taholle" – palveluohjausväline')
    assert "olemassa olevassa ja aktiivisessa toimijaverkostossa." in tool.summary
    # A model's description is its first paragraph (plus its page-break continuation, line 765);
    # the prose that follows it introduces the next entries and stays with the subtheme.
    model = Practice.objects.get(title="Jatko-opintopolut kuvina")
    assert model.summary.endswith("jatkokoulutus- ja uramahdollisuudet.")
    assert "(vaikka ammattiin valmistunut voikin hakeutua mille tahansa alalle)" in model.summary
    assert "Sekä EPPA että KETTU" not in model.summary
    varustamo = Practice.objects.get(title="Yhteistyömalli ammattiopisto ja erityisammattiopisto")
    assert "SOPU-hankkeen Valmentamo" not in varustamo.summary
    # Good practices keep every paragraph up to the next item (line 471 and line 475).
    workshop = Practice.objects.get(title="Osaamisen kerryttäminen ja osoittaminen työpajalla")
    assert workshop.summary.count("\n\n") == 1 and workshop.summary.endswith("tutkinnon osa kerrallaan.")


# --- projects ---------------------------------------------------------------------------------------

PROJECTS = [
    # name, lead, end date, scope, themes
    ("#ICTknowhow", "Turun yliopisto", "12/2016", "regional", ["B"]),
    ("Siirtymät sujuviksi (SISU)", "Pohjois-Karjalan koulutuskuntayhtymä", "12/2017", "national", ["C"]),
    ("SOPU - Sujuvat omat polut", "Oulun seudun koulutuskuntayhtymä", "05/2020", "national", ["B"]),
    (
        "Opintie sujuvaksi - etnisiin ryhmiin kuuluvat oppilaat koulupolun siirtymävaiheessa",
        "Lapin yliopisto",
        "02/2017",
        "regional",
        ["A"],
    ),
    ("OPINTIE", "Päijät-Hämeen Koulutuskeskukset -kuntayhtymä", "06/2017", "regional", ["C"]),
    (
        "Erilaisia Polkuja Pitkin Ammattiin –hanke (EPPA)",
        "Lapin koulutuskeskus Redu",
        "05/2020",
        "regional",
        ["B"],
    ),
    (
        "#Hyvinvoiva amis. Peruskoulusta ammattiopintoihin ja työelämään Lapissa",
        "Lapin yliopisto",  # the report's first spelling of this organisation
        "10/2021",
        "regional",
        ["C"],
    ),
    ("DUDE - Do yoUr own DiligencE", "Centria ammattikorkeakoulu Oy", "12/2020", "other_esf", []),
    ("Live - Lisää vetovoimaa", "Turun kaupungin sivistystoimiala", "07/2020", "other_esf", []),
]


def test_project_short_names_come_from_their_names(seeded_db):
    short = dict(Project.objects.values_list("name", "short_name"))
    assert short["Siirtymät sujuviksi (SISU)"] == "SISU"
    assert short["SOPU - Sujuvat omat polut"] == "SOPU"
    assert (
        short["Vamos 2. aste – opintoihin kiinnittyminen, läpäisy ja pudokkuuden ehkäisy"] == "Vamos 2. aste"
    )
    assert (
        short["#Hyvinvoiva amis. Peruskoulusta ammattiopintoihin ja työelämään Lapissa"] == "#Hyvinvoiva amis"
    )
    assert short["Opin portailla Pohjois-Pohjanmaalla"] == ""


@pytest.mark.parametrize("name,lead,ends,scope,themes", PROJECTS)
def test_projects(seeded_db, name, lead, ends, scope, themes):
    project = Project.objects.get(name=name)
    assert project.lead.name == lead
    assert project.ends_on_display == ends
    assert project.scope == scope
    assert sorted(project.themes.values_list("code", flat=True)) == themes
    assert project.status == PublicationStatus.PUBLISHED


def test_project_descriptions_join_continuation_rows(seeded_db):
    # Line 957 is cut at a page break and continues on line 958 with leading tabs.
    project = Project.objects.get(name="VetoVoimaa teknologia-aloille")
    assert (
        "ilmenevään keskeiseen ongelmaan, teknologiateollisuuden heikkoon vetovoimaan" in project.description
    )
    other = Project.objects.get(name="URAA! - Uraohjausosaamisen kehittäminen Ohjaamoissa")
    assert other.description.endswith("Ohjaamojen uraohjauksen laadunvarmistukseen.")


# --- twice-listed practices and loose project names ---------------------------------------------


@pytest.mark.parametrize(
    "title,kind,periods",
    [
        ("HENKILÖKOHTAISTAMINEN - Muistilistat", "model", [None, "2019-2021"]),
        ("OSAAMISEN HANKKIMINEN - Opintopolut ammatillisessa koulutuksessa", "model", [None, "2019-2021"]),
        ("Ryhmä- ja yksilövalmennus opintoihin palaaville", "good_practice", ["2015-2019", "2019-2021"]),
    ],
)
def test_twice_listed_entries_are_one_practice_with_two_placements(seeded_db, title, kind, periods):
    (practice,) = Practice.objects.filter(title=title)
    assert practice.kind == kind
    placed = sorted(practice.placements.values_list("period__code", flat=True), key=lambda code: code or "")
    assert placed == periods


def test_only_the_three_twice_listed_entries(parsed):
    assert [(entry.line, line) for entry, line in parsed.relisted] == [(417, 427), (512, 520), (556, 581)]


def test_loose_project_spellings_are_aliases(seeded_db):
    sisu = Project.objects.get(name="Siirtymät sujuviksi (SISU)")
    assert "Siirtymät sujuviksi SISU" in sisu.aliases
    assert "SOPU" in Project.objects.get(name="SOPU - Sujuvat omat polut").aliases
    assert {
        "Erlaisia polkuja pitkin ammattiin (EPPA)",
        "Erlaisia Polkuja Pitkin Ammattiin –hanke (EPPA)",
    } <= set(Project.objects.get(name__startswith="Erilaisia Polkuja").aliases)
    assert {"#Hyvinvoiva amis", "#Hyvinvoiva Peruskoulusta ammattiopintoihin ja työelämään Lapissa"} <= set(
        Project.objects.get(name__startswith="#Hyvinvoiva amis.").aliases
    )
    assert {"Vetovoimala", "Vetovoimalla"} <= set(Project.objects.get(name__startswith="VETOVOIMALA").aliases)
    # "Vetovoimalla" is not "VetoVoimaa teknologia-aloille", a different project.
    assert "Vetovoimalla" not in Project.objects.get(name="VetoVoimaa teknologia-aloille").aliases


def test_loose_matches_are_printed(seeded_db):
    output = run(SEED)
    assert "line 152: 'Siirtymät sujuviksi SISU' -> 'Siirtymät sujuviksi (SISU)'" in output
    assert "line 189: 'Vetovoimalla' -> 'VETOVOIMALA" in output
    assert "line 339: 'Erlaisia polkuja pitkin ammattiin (EPPA)' -> 'Erilaisia Polkuja" in output
    assert "line 323: '#Hyvinvoiva amis' -> '#Hyvinvoiva amis. Peruskoulusta" in output
    assert "line 417 and line 427: 'HENKILÖKOHTAISTAMINEN - Muistilistat'" in output


@pytest.fixture
def matcher():
    m = ProjectMatcher()
    for name in [
        "Opin portailta työelämään",
        "Opin portailta työelämään Satakunnassa",
        "Opin portailla Satakunnassa",
        "Opin portailla Pohjois-Pohjanmaalla",
        "OPINTIE",
        "Opintie sujuvaksi - etnisiin ryhmiin kuuluvat oppilaat koulupolun siirtymävaiheessa",
        "VetoVoimaa teknologia-aloille",
        "VETOVOIMALA – erityisen ja vaativan erityisen tuen hakeutumisvaiheen palvelujen kehittäminen",
        "Yhdessä takuuseen",
        "Siirtymät sujuviksi (SISU)",
        "TAITAVA -Tulevaisuuden osaajat",
    ]:
        m.add(name, [name])
    return m


@pytest.mark.parametrize(
    "spelling,expected,stage",
    [
        ("Siirtymät sujuviksi SISU", "Siirtymät sujuviksi (SISU)", "normalised"),
        ("Taitava", "TAITAVA -Tulevaisuuden osaajat", "short name"),
        (
            "Vetovoimalla",
            "VETOVOIMALA – erityisen ja vaativan erityisen tuen hakeutumisvaiheen palvelujen kehittäminen",
            "similar",
        ),
        (
            "Opintie sujuvaksi",
            "Opintie sujuvaksi - etnisiin ryhmiin kuuluvat oppilaat koulupolun siirtymävaiheessa",
            "short name",
        ),
        ("Opin portailta Pohjois-Pohjanmaalla", "Opin portailla Pohjois-Pohjanmaalla", "similar"),
        ("Opin portilla Satakunnassa", "Opin portailla Satakunnassa", "similar"),
        ("Opin portailta työelämään", "Opin portailta työelämään", "exact"),
        ("Yhdessä koulutustakuuseen", "Yhdessä takuuseen", "compound"),
        ("VetoVoimaa teknologia-aloille Varsinais-Suomessa", "VetoVoimaa teknologia-aloille", "prefix"),
    ],
)
def test_matcher_tricky_spellings(matcher, spelling, expected, stage):
    match = matcher.match(spelling)
    assert (match.key, match.stage) == (expected, stage)


@pytest.mark.parametrize("spelling", ["Opin portaat", "Opin portailta", "Satakunnassa", "Aivan uusi hanke"])
def test_matcher_never_guesses_between_different_projects(matcher, spelling):
    assert matcher.match(spelling) is None


def test_annex_rows_are_matched_without_word_prefixes():
    # In the annexes "OPINTIE" (line 1024) is a project of its own, not "Opintie sujuvaksi - ...";
    # in an entry, a name that starts a project's name is that project ("Nojat", "K2K").
    only = ProjectMatcher()
    only.add(
        "opintie-sujuvaksi",
        ["Opintie sujuvaksi - etnisiin ryhmiin kuuluvat oppilaat koulupolun siirtymävaiheessa"],
    )
    assert only.match("OPINTIE", loose_words=False) is None
    assert only.match("OPINTIE").stage == "prefix"


def test_unknown_project_is_created_and_reported(seeded_db, tmp_path, seed_lines):
    lines = list(seed_lines)
    lines[149] = "- [Varusmiesten tavoittaminen nivelvaiheessa](#) (Kainuun varusmieshanke)  "
    output = run(write_copy(tmp_path, lines))
    assert "line 150: project 'Kainuun varusmieshanke' is in neither annex" in output
    project = Project.objects.get(name="Kainuun varusmieshanke")
    assert (project.lead, project.ends_on, project.scope) == (None, None, "")
    assert Practice.objects.get(title="Varusmiesten tavoittaminen nivelvaiheessa", project=project)


def test_project_under_two_themes(seeded_db, tmp_path, seed_lines):
    lines = list(seed_lines)
    # Also describe #ICTknowhow (theme B) under theme D's regional projects.
    lines.insert(1059, "#ICTknowhow\tTurun yliopisto\tHankkeen tavoitteena on vahvistaa ICT-taitoja.")
    run(write_copy(tmp_path, lines))
    assert sorted(Project.objects.get(name="#ICTknowhow").themes.values_list("code", flat=True)) == ["B", "D"]


# --- idempotency -----------------------------------------------------------------------------------


def test_second_run_changes_nothing(seeded_db):
    before = row_counts()
    stamps = dict(Practice.objects.values_list("id", "updated_at"))
    project_stamps = dict(Project.objects.values_list("id", "updated_at"))
    output = run(SEED)
    assert row_counts() == before
    assert dict(Practice.objects.values_list("id", "updated_at")) == stamps
    assert dict(Project.objects.values_list("id", "updated_at")) == project_stamps
    assert "  good practices          0        200        0" in output
    assert "  placements              0        224        0" in output
    assert "  projects                0         95        0" in output


def test_corrections_made_in_the_admin_survive_a_reimport(seeded_db):
    practice = Practice.objects.get(title="Lapin koulutusneuvonta")
    practice.summary = "Korjattu kuvaus."
    practice.save()
    run(SEED)
    practice.refresh_from_db()
    assert practice.summary == "Korjattu kuvaus."


def test_dry_run_writes_nothing(seeded_db, tmp_path, seed_lines):
    lines = list(seed_lines)
    lines[147] = "- [Lapin koulutusneuvonta verkossa](#) (Lapin TNO-palvelut)  "
    before = row_counts()
    output = run(write_copy(tmp_path, lines), dry_run=True)
    assert "Dry run (nothing written)" in output
    assert "  good practices          1        199        0" in output
    assert row_counts() == before
    assert not Practice.objects.filter(title="Lapin koulutusneuvonta verkossa").exists()


def test_verbosity_zero_is_silent(seeded_db):
    assert run(SEED, verbosity=0) == ""


# --- files it cannot parse ---------------------------------------------------------------------------


def assert_imports_nothing(path, message):
    before = row_counts()
    with pytest.raises(CommandError) as error:
        run(path)
    assert message in str(error.value)
    assert "nothing was imported" in str(error.value)
    assert row_counts() == before
    return error


def with_new_entry(seed_lines):
    """A copy with one entry the seed does not have: if anything were written, it would show."""
    lines = list(seed_lines)
    lines[147] = "- [Uusi käytäntö jota ei saa tallentaa](#) (Lapin TNO-palvelut)  "
    return lines


def test_truncated_file_imports_nothing(seeded_db, tmp_path, seed_lines):
    path = write_copy(tmp_path, with_new_entry(seed_lines)[:700])
    assert_imports_nothing(
        path, "line 700: the file ends before the annex 'LIITE: Hankekuvaukset teemoittain'"
    )
    assert not Practice.objects.filter(title__startswith="Uusi käytäntö").exists()


# Each hostile line, at its 1-based line number in the seed, with the reason the import gives.
TOO_LONG = {
    "subtheme heading of 301 characters": (
        140, "### Hakeutumisen ohjauspalvelut " + "x" * 273, "line 140: subtheme heading is 301 characters long, at most 300"),
    "subtheme heading of 200,006 characters": (
        140, "### " + "y" * 200_006, "line 140: subtheme heading is 200,006 characters long, at most 300"),
    "model heading of 359 characters": (
        189, "### **[" + "Malli " * 60 + "](#)** (Vetovoimalla)", "line 189: entry name is 359 characters long"),
    "good practice of 301 characters": (
        148, "- [" + "k" * 301 + "](#) (Lapin TNO-palvelut)  ", "line 148: entry name is 301 characters long"),
    "entry description of 25,200 characters": (
        190, "Kuvaus " * 3600, "line 189: entry description is"),
    "project name of 309 characters in the annex": (
        1153, "Osuvasti ammattiin " + "z" * 290 + "\tYlä-Savon ammatillisen koulutuksen kuntayhtymä\t3/2018",
        "line 1153: project name is 309 characters long"),
    "lead organisation of 310 characters": (
        1153, "Osuvasti ammattiin\tYlä-Savon " + "k" * 300 + "\t3/2018", "line 1153: lead organisation is 310 characters"),
}


@pytest.mark.parametrize("attack", TOO_LONG)
def test_a_text_too_long_for_its_field_imports_nothing_and_says_where(seeded_db, tmp_path, seed_lines, attack):
    number, text, message = TOO_LONG[attack]
    lines = with_new_entry(seed_lines)
    lines[number - 1] = text
    assert_imports_nothing(write_copy(tmp_path, lines), message)
    assert not Practice.objects.filter(title__startswith="Uusi käytäntö").exists()
    longest = max(len(name) for model in (Subtheme, Practice, Project, Organisation)
                  for name in model.objects.values_list("title" if model is Practice else "name", flat=True))
    assert longest <= 300


def test_a_model_heading_without_its_project_imports_nothing(seeded_db, tmp_path, seed_lines):
    lines = with_new_entry(seed_lines)
    # Line 230 is "### [Palvelupolku - ...](#) (Avoimet ammatilliset opinnot) MALLI".
    lines[229] = "### [Palvelupolku - Näin toimit Avoimet ammatilliset opinnot -palvelussa](#) MALLI"
    assert_imports_nothing(
        write_copy(tmp_path, lines),
        "line 230: model heading without its project in parentheses: "
        "'Palvelupolku - Näin toimit Avoimet ammatilliset opinnot -palvelussa MALLI'",
    )
    assert not Subtheme.objects.filter(name__endswith="MALLI").exists()


def test_a_model_naming_an_unknown_project_is_listed_as_created(seeded_db, tmp_path, seed_lines):
    lines = list(seed_lines)
    lines[229] = "### [Palvelupolku uudessa hankkeessa](#) (Tuntematon Hanke Qwerty) MALLI"
    output = run(write_copy(tmp_path, lines))
    assert (
        "Projects created from entries (1): in neither annex, so without lead, end date or scope; "
        "complete or merge them in the admin:\n  line 230: 'Tuntematon Hanke Qwerty'"
    ) in output
    project = Project.objects.get(name="Tuntematon Hanke Qwerty")
    assert Practice.objects.get(title="Palvelupolku uudessa hankkeessa", project=project).kind == "model"


def test_the_same_report_from_another_folder_changes_nothing(seeded_db, tmp_path):
    folder = tmp_path / "lataukset"
    folder.mkdir()
    (folder / "raportti.txt").write_bytes(open(SEED, "rb").read())
    before = row_counts()
    output = run(folder / "raportti.txt")
    assert row_counts() == before
    assert "as 'zoomi-2020'" in output
    assert "  good practices          0        200        0" in output


def test_entries_imported_under_a_folder_name_are_found_again(seeded_db):
    """A database imported before the key came from the report (``--source`` defaulted to the
    folder's name) keeps working: its entries are found by title and project."""
    for practice in Practice.objects.exclude(source=""):
        practice.source = practice.source.replace("zoomi-2020:", "lataukset:")
        practice.save(update_fields=["source"])
    before = row_counts()
    run(SEED)
    assert row_counts() == before


def test_the_source_key_comes_from_the_reports_title(parsed, tmp_path):
    from methodbank.catalog.importers.loader import report_source_key

    assert parsed.title == "Malleja ja hyviä käytäntöjä siirtymien sujuvoittamiseen syksy 2020"
    assert report_source_key(parsed) == "zoomi-2020"
    other = parse_report(open(SEED, encoding="utf-8").read().replace("syksy 2020**", "kevät 2021**", 1))
    assert report_source_key(other) == "malleja-ja-hyvia-kaytantoja-siirtymien-sujuvoittamiseen-kevat-2021"


def test_file_cut_in_the_middle_of_an_entry(tmp_path, seed_lines):
    lines = seed_lines[:148]  # ends on the list item of line 148, before its summary
    with pytest.raises(ParseError) as error:
        parse_report("\n".join(lines))
    assert error.value.line == 148


def test_bad_annex_date_imports_nothing(seeded_db, tmp_path, seed_lines):
    lines = with_new_entry(seed_lines)
    assert lines[1113] == "#ICTknowhow\tTurun yliopisto\t12/2016"
    lines[1113] = "#ICTknowhow\tTurun yliopisto\t13/2016"
    assert_imports_nothing(
        write_copy(tmp_path, lines), "line 1114: bad end date '13/2016' (expected MM/YYYY)"
    )
    assert not Practice.objects.filter(title__startswith="Uusi käytäntö").exists()


def test_garbage_line_in_annex_imports_nothing(seeded_db, tmp_path, seed_lines):
    lines = with_new_entry(seed_lines)
    lines.insert(1099, "%%% kopiointivirhe %%%")
    assert_imports_nothing(write_copy(tmp_path, lines), "line 1100: unexpected text in the annex")


def test_annex_row_with_wrong_number_of_fields(seeded_db, tmp_path, seed_lines):
    lines = with_new_entry(seed_lines)
    lines[1001] = lines[1001].replace("\t", " ", 1)  # "#ICTknowhow Turun yliopisto<TAB>..."
    assert_imports_nothing(write_copy(tmp_path, lines), "line 1002: expected 3 tab-separated fields")


def test_non_utf8_bytes_import_nothing(seeded_db, tmp_path, seed_lines):
    lines = with_new_entry(seed_lines)
    path = write_copy(tmp_path, lines)
    data = path.read_bytes().split(b"\n")
    data[499] = data[499] + b" \xff\xfe"
    path.write_bytes(b"\n".join(data))
    assert_imports_nothing(path, "line 500: not valid UTF-8 (byte 0xff)")


def test_list_item_without_project(seeded_db, tmp_path, seed_lines):
    lines = with_new_entry(seed_lines)
    lines[149] = "- [Varusmiesten tavoittaminen nivelvaiheessa](#)"
    assert_imports_nothing(
        write_copy(tmp_path, lines), "line 150: list item without a project in parentheses"
    )


def test_entry_outside_any_theme(tmp_path, seed_lines):
    lines = list(seed_lines)
    lines[84] = (
        "### ZOOMI - sujuvia siirtymiä edistämässä -koordinaatiohankkeen aikana kootut hyvät käytännöt (1.5.2019-31.12.2021)"
    )
    with pytest.raises(ParseError) as error:
        parse_report("\n".join(lines))
    assert error.value.line == 85 and "outside any theme" in error.value.reason


def test_not_a_report(seeded_db, tmp_path):
    path = write_copy(tmp_path, ["Pelkkää tekstiä.", "", "Ei otsikoita."])
    assert_imports_nothing(path, "line 3: no theme headings")


# --- garbled characters ------------------------------------------------------------------------------


def test_garbled_characters_in_the_seed_are_reported_with_their_line(parsed):
    garbled = [w for w in parsed.warnings if "garbled" in w.message]
    assert [w.line for w in garbled] == [204]
    assert "U+0A3E GURMUKHI VOWEL SIGN AA" in garbled[0].message and "Vetovoimਾਲassa" in garbled[0].message
    # Kept as in the report: guessing a correction would be inventing text.
    assert parsed.entries and any("Vetovoimਾਲassa" in e.summary for e in parsed.entries)


def test_other_garbled_characters_are_reported(seeded_db, tmp_path, seed_lines):
    lines = list(seed_lines)
    lines[148] += " yhteistyöt\ufffd"
    lines[150] += " \x07 Привет"
    output = run(write_copy(tmp_path, lines))
    assert (
        "line 149: garbled characters from the PDF extraction: '\ufffd' (U+FFFD REPLACEMENT CHARACTER)"
        in output
    )
    assert "line 151: garbled characters from the PDF extraction: '\x07' (U+0007" in output
    assert "U+041F CYRILLIC CAPITAL LETTER PE" in output


def test_repeated_paragraph_is_kept_once(parsed):
    assert any(w.line == 187 and "repeats the description on line 185" in w.message for w in parsed.warnings)
