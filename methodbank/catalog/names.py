"""Swedish and English names of the seed catalog's themes, subthemes and periods.

The Zoomi 2020 report names them in Finnish only. These are the bank's own translations; the data
migration fills them into an existing catalog and the importer into a new one, and only where the
name in that language is still empty, so a coordinator's edit in the admin is never overwritten.

They use the terms of Finnish education in Finland-Swedish and in the English of the Finnish National
Agency for Education: ohjaus = handledning / guidance, henkilökohtaistaminen = personlig anpassning /
personalisation, HOKS = PUK / personal competence development plan, väyläopinnot = stigstudier /
pathway studies, opiskeluhuolto = studerandevård / student welfare. When a name here changes, a data
migration replaces the old one where a coordinator has not edited it (see 0006), so an upgraded catalog
and a fresh import agree.
"""

# Theme code -> (Swedish, English)
THEMES = {
    "A": ("Smidig övergång till utbildning", "Smooth transition into education"),
    "B": ("Handledning för smidiga övergångar under utbildningen", "Guidance for smooth transitions during education"),
    "C": (
        "Tidigt ingripande, stöd vid studieavbrott och kontinuerlig ansökan",
        "Early intervention, support for students at risk of dropping out, and continuous application",
    ),
    "D": (
        "Smidig övergång till arbetslivet och fortsatta studier",
        "Smooth transition to working life and further studies",
    ),
}

# (theme code, Finnish name) -> (Swedish, English)
SUBTHEMES = {
    ("A", "Hakeutumisen ohjauspalvelut"): (
        "Handledningstjänster för att söka till utbildning",
        "Guidance services for applying to education",
    ),
    ("A", "Hakeutumisvaiheen henkilökohtaistaminen, koulutustutustumisen ja perehdyttäminen"): (
        "Personlig anpassning, bekantskap med utbildningar och introduktion i ansökningsskedet",
        "Personalisation, getting to know study options and induction at the application stage",
    ),
    ("A", "Avoimet oppimisympäristöt"): ("Öppna lärmiljöer", "Open learning environments"),
    ("A", "Hakeutumisvaiheen yhteistyö"): ("Samarbete i ansökningsskedet", "Cooperation at the application stage"),
    ("A", "Ammatillisen koulutuksen vetovoimaisuus"): (
        "Yrkesutbildningens dragningskraft",
        "Attractiveness of vocational education and training",
    ),
    ("B", "Ohjausta tukevat työkalut"): ("Verktyg som stöder handledningen", "Tools that support guidance"),
    ("B", "Ohjauspalvelut sekä ohjausta kehittävät uudet toimintatavat"): (
        "Handledningstjänster och nya arbetssätt som utvecklar handledningen",
        "Guidance services and new ways of working to develop guidance",
    ),
    ("B", "Ohjaavan opettajuuden kehittyminen"): (
        "Utvecklingen av ett handledande lärarskap",
        "Developing guidance-oriented teaching",
    ),
    ("B", "HOKS ja henkilökohtaistaminen"): (
        "PUK och personlig anpassning",
        "Personal competence development plans (HOKS) and personalisation",
    ),
    ("B", "Oppimisanalytiikka ja opiskelijan digijalanjälki"): (
        "Lärandeanalys och den studerandes digitala fotavtryck",
        "Learning analytics and the student's digital footprint",
    ),
    ("B", "Työelämälähtöisyyttä tukevat toimintatavat"): (
        "Arbetssätt som stöder arbetslivsorienteringen",
        "Ways of working that support a working-life orientation",
    ),
    ("B", "Muut uudet oppimisympäristöt ja digitaalisuus"): (
        "Andra nya lärmiljöer och digitalisering",
        "Other new learning environments and digitalisation",
    ),
    ("B", "Osaamisen tunnistaminen ja yksilöllisten opintopolkujen tukeminen"): (
        "Identifiering av kunnande och stöd för individuella studievägar",
        "Identifying competence and supporting individual study paths",
    ),
    ("C", "Keskeyttämistilanteessa olevien opiskelijoiden tunnistaminen ja ohjaus"): (
        "Att identifiera och handleda studerande som riskerar att avbryta studierna",
        "Identifying and guiding students at risk of dropping out",
    ),
    ("C", "Opiskeluvalmiuksien sekä osallisuuden vahvistaminen"): (
        "Att stärka studiefärdigheterna och delaktigheten",
        "Strengthening study skills and participation",
    ),
    ("C", "Työvaltaiset oppimisympäristöt"): ("Arbetsbaserade lärmiljöer", "Work-based learning environments"),
    ("C", "Opiskeluhoitoa tukevat käytännöt ja mallit"): (
        "Praxis och modeller som stöder studerandevården",
        "Practices and models that support student welfare",
    ),
    ("C", "Sisäisiä siirtymiä tukevat käytännöt"): (
        "Praxis som stöder interna övergångar",
        "Practices that support transitions within education",
    ),
    ("C", "Jatkuvan hakeutumisen ohjaus"): ("Handledning vid kontinuerlig ansökan", "Guidance for continuous application"),
    ("D", "Väyläopinnot ammatillisesta koulutuksesta ammattikorkeakouluun"): (
        "Stigstudier från yrkesutbildning till yrkeshögskola",
        "Pathway studies from vocational education to universities of applied sciences",
    ),
    ("D", "Muut jatko-opintoihin siirtymistä tukevat mallit"): (
        "Andra modeller som stöder övergången till fortsatta studier",
        "Other models that support the transition to further studies",
    ),
    ("D", "Ammatillisten oppilaitosten ja ammattikorkeakoulujen yhteistyötä edistävät mallit"): (
        "Modeller som främjar samarbetet mellan yrkesläroanstalter och yrkeshögskolor",
        "Models that promote cooperation between vocational institutions and universities of applied sciences",
    ),
    ("D", "Uraohjaus ja työhakutaitojen vahvistaminen"): (
        "Karriärhandledning och att stärka färdigheterna i att söka arbete",
        "Career guidance and strengthening job-seeking skills",
    ),
    ("D", "Työllistymisen tukeminen"): ("Stöd för att få arbete", "Supporting employment"),
}

# Period code -> (Swedish, English)
PERIODS = {
    "2019-2021": ("Zoomi – för smidiga övergångar", "Zoomi – promoting smooth transitions"),
    "2015-2019": (
        "Zoomi – nationell koordinering av smidiga övergångar",
        "Zoomi – national coordination of smooth transitions",
    ),
}


def seed_names(obj, kind: str) -> dict:
    """{"name_sv": ..., "name_en": ...} for a theme, subtheme or period of the seed, or {}."""
    if kind == "theme":
        names = THEMES.get(obj.code)
    elif kind == "subtheme":
        names = SUBTHEMES.get((obj.theme.code, obj.name))
    else:
        names = PERIODS.get(obj.code)
    return {"name_sv": names[0], "name_en": names[1]} if names else {}
