"""Search quality against the real Zoomi 2020 catalog: recall@10 of our search and of plain
icontains (what the old method-bank sites offered) on the same queries, printed side by side.

The queries are written the way teachers and guidance counsellors search: inflected forms,
compounds, abbreviations and everyday words, two-word queries, a few in Swedish and English. Each
lists the entries (by title) a searcher plainly wants in the first ten results, chosen by reading
the report; most of them never contain the query verbatim.
"""

import pytest
from django.db.models import Q

from methodbank.catalog.models import Practice, PublicationStatus
from methodbank.search.selectors import search_entries

# (query, language, [titles that must be in the top 10])
QUERIES = [
    # inflections and compounds
    (
        "romaninuoret",
        "fi",
        [
            "Romanityöntekijä tukena Ohjaamossa",
            "Romanioppilaiden koulunkäynnin intensiivinen tukiohjelma",
            "Kulttuurisensitiivinen työparityöskentely",
        ],
    ),
    (
        "maahanmuuttajille",
        "fi",
        [
            "Erillishaku maahanmuuttajille ja romaneille ammattikorkeakoulu opintoihin (Diak)",
            "Mentorivalmennus maahanmuuttajien mentorointiin",
        ],
    ),
    ("opinto-ohjaajalle", "fi", ["NOPO – nivelvaiheen opinto-ohjauksen malli", "Oma polku -väittämäkortit"]),
    (
        "väyläopinnoista",
        "fi",
        [
            "Ammatilliset väyläopinnot",
            "Väyläopinnot toisen asteen opiskelijoille",
            "Verkko-opinnot väyläopintoina",
        ],
    ),
    (
        "keskeyttämisvaarassa olevat",
        "fi",
        [
            "SISULA-toimintamalli ammatilliseen peruskoulutukseen",
            "SISU-ohjausmalli ammatilliseen peruskoulutukseen valmentavassa koulutuksessa",
        ],
    ),
    (
        "nivelvaiheessa",
        "fi",
        [
            "Varusmiesten tavoittaminen nivelvaiheessa",
            "Vetovoimalan vertaisryhmätoiminta nivelvaiheessa",
            "Tervareitin ohjausmalli oppilaan tueksi nivelvaiheessa toiselle asteelle",
            "Vaativan erityisen tuen nivelvaiheen ohjausmalli",
        ],
    ),
    (
        "oppimisanalytiikkaa",
        "fi",
        ["Oppimisanalytiikka", "Oppimisanalytiikka tulee – oletko valmis?", "HAMKin oppimisanalytiikka"],
    ),
    (
        "henkilökohtaistaminen",
        "fi",
        [
            "HENKILÖKOHTAISTAMINEN - Muistilistat",
            "Opiskelijaa koskevat tiedot henkilökohtaistamisprosessin välineenä",
        ],
    ),
    (
        "työpaikkaohjaajille",
        "fi",
        ["Tietokortti työpaikkaohjaajille. Hyvinvointia tukeva opiskelijoiden ohjaus ja perehdytys."],
    ),
    ("varusmiehet", "fi", ["Varusmiesten tavoittaminen nivelvaiheessa"]),
    ("vankilasta vapautuvat", "fi", ["Konnat kouluun"]),
    ("lukiolaisille", "fi", ["Kielipolku"]),
    ("osaamismerkit", "fi", ["Ohjaavan opettajuuden osaamismerkki", "Uraohjausosaajan osaamismerkki"]),
    (
        "uraohjaukseen",
        "fi",
        [
            "Uraohjauksen malli ammatilliseen koulutukseen",
            "Uraohjauksen malli Koulutuskeskus Salpauksessa",
            "Uraohjausmalli",
        ],
    ),
    ("metallialalle", "fi", ["Metallialan markkinointivideot", "Kone-metallialan uratarinat"]),
    (
        "matematiikkaa",
        "fi",
        ["Matematiikan AMK-valmennus teknisille aloille", "AMK-matematiikkaa ammattiopistoille"],
    ),
    (
        "sosionomiksi",
        "fi",
        ["Jatkoväylä nuoriso- ja vapaa-ajanohjauksen perustutkinnosta sosionomiopintoihin"],
    ),
    ("keskeyttäminen", "fi", ["OHJAUS JA TUKI - Opintojen keskeyttämisen prosessi"]),
    (
        "pudokkuus",
        "fi",
        [
            "Valtakunnallinen toimintamalli 2. asteen opintoihin kiinnittymiseksi, läpäisemiseksi ja pudokkuuden ehkäisemiseksi",
            "Romanioppilaiden koulunkäynnin intensiivinen tukiohjelma",
        ],
    ),
    ("hyvinvointivalmennus", "fi", ["Hyvinvointivalmennusprosessi"]),
    (
        "pelillistäminen",
        "fi",
        ["Urapeli - pelillistäminen ammattiopiston ja peruskoulujen välisessä yhteistyössä"],
    ),
    ("portfoliot", "fi", ["Teema 4: Multimodaalinen portfolio", "ePortfolio ja video CV"]),
    # abbreviations and everyday words (thesaurus)
    (
        "opo",
        "fi",
        [
            "NOPO – nivelvaiheen opinto-ohjauksen malli",
            "Jalkautuva opinto-ohjaus",
            "Siirtymävaiheen opinto-ohjaus",
        ],
    ),
    ("AMK", "fi", ["AMK-matematiikkaa ammattiopistoille", "Matematiikan AMK-valmennus teknisille aloille"]),
    (
        "HOKS",
        "fi",
        [
            "HOKS- ja uraohjauksen malli",
            "Amis-open muistilista",
            "HENKILÖKOHTAISTAMISEN KEHITTÄMINEN - Palautekyselyt",
        ],
    ),
    (
        "valma",
        "fi",
        [
            "Valma-koulutuksen hakuprosessikuvaus ja haastattelumalli",
            "Valman opiskelijoiden siirtyminen saattaen vaihtaan",
            "SISU-ohjausmalli ammatilliseen peruskoulutukseen valmentavassa koulutuksessa",
        ],
    ),
    ("ohjaamo", "fi", ["Romanityöntekijä tukena Ohjaamossa"]),
    (
        "oppisopimus",
        "fi",
        [
            "Avoimet koulutus- ja oppisopimuspaikat sekä näyttö- ja työpaikat Wilmassa",
            "Lapin koulutusneuvonta",
        ],
    ),
    ("amis", "fi", ["Amis-open muistilista", "AMIS9"]),
    ("HOPS", "fi", ["Visuaalinen HOPS", "Henkilökohtainen opiskelu- ja työllistymissuunnitelma"]),
    # two words
    (
        "mentorointi maahanmuuttajat",
        "fi",
        ["Mentorivalmennus maahanmuuttajien mentorointiin", "Valmennusmalli"],
    ),
    (
        "digitaalinen jalanjälki",
        "fi",
        ["Oppijan digitaalinen jalanjälki", "Selvitys 2: Oppijan digitaalinen jalanjälki"],
    ),
    (
        "ohjaava opettajuus",
        "fi",
        ["Ohjaava opettajuus", "Ohjaavan opettajuuden osaamismerkki", "Yhdessä - Ohjaava opettajuus peli"],
    ),
    (
        "erityisen tuen opiskelijat",
        "fi",
        [
            "Yhteistyömalli ammattiopisto ja erityisammattiopisto",
            "OSAAMISEN HANKKIMINEN - Työelämässä oppimisen opas erityistä tukea tarvitsevalle",
            "EIKKA - Erityisen tuen tunnistamisen työkalupakki",
        ],
    ),
    (
        "jatkuva haku",
        "fi",
        [
            "JATKUVA HAKU - Prosessikuvaus",
            "JATKUVA HAKU - Kysely koulutuspääliköille",
            "Joustavan sisänoton muistilista",
        ],
    ),
    ("avoin ammattiopisto", "fi", ["Avoin ammattiopisto", "Avoimet ammatilliset opinnot -palvelu"]),
    ("etsivä nuorisotyö", "fi", ["Etsivä nuorisotyöntekijän kouluyhteistyö"]),
    (
        "koulutukseen tutustuminen",
        "fi",
        [
            "KOULUTUKSEEN TUTUSTUMINEN - Tutustujan perehdytys",
            "Koulutustutustuminen ja tutkinnon osan suorittamisen -toimintamalli",
        ],
    ),
    (
        "ammattikorkeakouluun siirtyminen",
        "fi",
        [
            "Ammatillisesta koulutuksesta sujuvasti ammattikorkeakouluun -tilannekartoitus",
            "TAITAVA siirtymä Turun ammattikorkeakouluun",
        ],
    ),
    (
        "työvaltainen oppiminen",
        "fi",
        [
            "Työvaltainen oppiminen työpajojen ja säätiöiden oppimisympäristöissä",
            "Työvaltaisen oppimisen yhteistyömalli",
        ],
    ),
    (
        "ruotsin kieli",
        "fi",
        ["Ruotsin kielen polkuopintomalli Pirkanmaalla", "Ruotsin oppimisen polkuopintomalli Satakunnassa"],
    ),
    (
        "romanien työllistyminen",
        "fi",
        [
            "Ulkomaalais- ja romanitaustaisten opiskelijoiden työllistymisen tuki",
            "Mahdollisuuksien päivä – Romanian koulutus- ja työllisyysmessut",
        ],
    ),
    (
        "maahanmuuttajataustaisten opiskelijoiden tuki",
        "fi",
        [
            "Maahanmuuttaja- ja romanitaustaisten opiskelijoiden tuki opinnoissa SDO:lla",
            "Maahanmuuttaja- ja romanitaustaisten opiskelijoiden tuki Diakilla",
        ],
    ),
    (
        "merkonomista tradenomiksi",
        "fi",
        ["Merkonomista tradenomiksi", "Korkeakoulupolku Merkonomista Tradenomiksi"],
    ),
    ("työnhaku", "fi", ["Työnhakuinfot", "CV-pohja Wilma-järjestelmään"]),
    # Swedish and English
    ("studiehandledare", "sv", ["NOPO – nivelvaiheen opinto-ohjauksen malli", "Jalkautuva opinto-ohjaus"]),
    ("läroavtal", "sv", ["Avoimet koulutus- ja oppisopimuspaikat sekä näyttö- ja työpaikat Wilmassa"]),
    ("invandrare mentor", "sv", ["Mentorivalmennus maahanmuuttajien mentorointiin"]),
    ("learning analytics", "en", ["Oppimisanalytiikka", "HAMKin oppimisanalytiikka"]),
    ("peer support", "en", ["Vertaistuki"]),
    ("guidance counsellor", "en", ["NOPO – nivelvaiheen opinto-ohjauksen malli", "Jalkautuva opinto-ohjaus"]),
]

TOP = 10


def _our_top(query, language):
    results = search_entries(text=query, language=language)
    ids = [e.practice_id for e in results.entries[:TOP]]
    titles = dict(Practice.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [titles[i] for i in ids]


def _icontains_top(query):
    fields = ["title", "summary", *[name for name, _h in Practice.TEMPLATE_FIELDS]]
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": query})
    qs = Practice.objects.filter(condition, status=PublicationStatus.PUBLISHED).order_by("title")
    return list(qs.values_list("title", flat=True)[:TOP])


def _recall(found, expected):
    return sum(1 for title in expected if title in found) / len(expected)


@pytest.mark.django_db
def test_recall_at_10_against_the_real_catalog(seeded_db, capsys):
    published = set(
        Practice.objects.filter(status=PublicationStatus.PUBLISHED).values_list("title", flat=True)
    )
    unknown = [t for _q, _l, expected in QUERIES for t in expected if t not in published]
    assert not unknown, f"expected titles missing from the imported catalog: {unknown}"
    assert len(QUERIES) >= 40

    rows, ours_total, baseline_total, misses = [], 0.0, 0.0, []
    for query, language, expected in QUERIES:
        ours = _recall(_our_top(query, language), expected)
        baseline = _recall(_icontains_top(query), expected)
        ours_total += ours
        baseline_total += baseline
        rows.append(f"  {query:<48} {language}  {ours:>6.2f}  {baseline:>9.2f}")
        if ours < 1:
            found = _our_top(query, language)
            misses.append(f"  {query!r}: missing {[t for t in expected if t not in found]}")
    ours_mean, baseline_mean = ours_total / len(QUERIES), baseline_total / len(QUERIES)
    with capsys.disabled():
        print(f"\n\nSearch quality, recall@{TOP} on {len(QUERIES)} queries against the Zoomi 2020 catalog")
        print(f"  {'query':<48} la  {'search':>6}  {'icontains':>9}")
        print("\n".join(rows))
        print(f"  {'MEAN recall@10':<48}     {ours_mean:>6.3f}  {baseline_mean:>9.3f}")
        if misses:
            print("  not in our top 10:\n" + "\n".join(misses))
    assert ours_mean >= 0.9
    assert ours_mean >= baseline_mean + 0.3
