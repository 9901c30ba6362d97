"""The default criteria sets (version 1 of each). docs/evaluation-criteria.md names the source of
every criterion. The wording is content in the bank's language (Finnish), like the catalog itself."""

from django.db import migrations

BANK = "Menetelmäpankin mallin määritelmä ja kuvauspohja (Zoomi 2020 -raportti: Mikä on malli?)"
EU_BPP = (
    "EU Best Practice Portal: Criteria to select best practices in health promotion and chronic disease "
    "prevention and management in Europe (Euroopan komissio, SGPP 2017)"
)

PEER = [
    (
        "goal_target_group",
        "Tavoite ja kohderyhmä ovat selkeät",
        "Mallin kuvauksesta käy ilmi, mitä sillä tavoitellaan ja kenelle se on tarkoitettu.",
        [
            "Tavoitetta tai kohderyhmää ei ole kuvattu.",
            "Tavoite tai kohderyhmä on kuvattu yleisellä tasolla; jää epäselväksi, kenelle malli on tarkoitettu.",
            "Tavoite ja kohderyhmä on kuvattu selkeästi.",
            "Tavoite ja kohderyhmä on kuvattu selkeästi ja perusteltu tarpeella, joka on osoitettu.",
        ],
        BANK + ": kuvauspohjan kohta ”Mallin tavoite ja kohderyhmä”.",
    ),
    (
        "piloted",
        "Malli on pilotoitu, ja siitä on käyttökokemuksia",
        "Mallia on kokeiltu käytännössä, ja kokemuksia on koottu käyttäjiltä.",
        [
            "Mallia ei ole vielä kokeiltu käytännössä.",
            "Mallia on kokeiltu kerran tai yhdessä paikassa; käyttäjien kokemuksia ei ole koottu.",
            "Malli on pilotoitu, ja käyttäjien kokemuksia on koottu ja hyödynnetty.",
            "Malli on pilotoitu useassa ympäristössä, ja laajat käyttökokemukset ovat muokanneet sitä.",
        ],
        BANK + ": ”hankkeen tuotos, joka on pilotoitu”; ”siitä on laajat käyttökokemukset”.",
    ),
    (
        "documented",
        "Muut voivat ottaa mallin käyttöön kuvauksen ja materiaalien avulla",
        "Kuvaus ja materiaalit riittävät käyttöönottoon ilman mallin kehittäjiä.",
        [
            "Kuvaus ja materiaalit puuttuvat tai ovat keskeneräisiä.",
            "Kuvaus on olemassa, mutta käyttöönotto vaatii kehittäjien apua.",
            "Kuvaus ja materiaalit riittävät käyttöönottoon pienin tarkennuksin.",
            "Kuvaus, ohjeet ja materiaalit riittävät sellaisenaan käyttöönottoon uudessa organisaatiossa.",
        ],
        BANK + ": ”mallinnettu niin hyvin, että sen voi ottaa käyttöön mallin kuvauksen ja materiaalien avulla”.",
    ),
    (
        "results_indicators",
        "Tulokset ja mittarit",
        "Mallin tuloksia on seurattu, ja niiden seurantaan on mittarit.",
        [
            "Tuloksia tai mittareita ei ole kuvattu.",
            "Tuloksia on kuvattu, mutta ilman mittareita tai seurantatietoa.",
            "Tulokset on kuvattu, ja niitä on seurattu mittareilla.",
            "Tulokset on osoitettu mittareilla, ja mittarit ovat muiden käytettävissä.",
        ],
        BANK + ": kuvauspohjan kohta ”Tulokset ja mittarit”.",
    ),
    (
        "resources",
        "Käyttöönoton resurssit tunnetaan",
        "Tiedetään, mitä henkilöstöä, aikaa, osaamista ja rahaa käyttöönotto vaatii.",
        [
            "Resursseja ei ole kuvattu.",
            "Resurssit on mainittu, mutta niiden määrä jää arvailun varaan.",
            "Käyttöönoton resurssit on kuvattu.",
            "Resurssit on kuvattu ja todennettu pilotoinnissa, ja perehdytys on suunniteltu.",
        ],
        BANK + ": kuvauspohjan kohdat ”Resurssit ja käyttöönotto” ja ”Kuvaus käyttöönotosta”.",
    ),
    (
        "local_practices",
        "Mallilla on paikallisia hyviä käytäntöjä",
        "Mallia on sovellettu paikallisesti, ja sovellukset on kuvattu hyvinä käytäntöinä.",
        [
            "Paikallisia sovelluksia ei ole.",
            "Mallia on sovellettu paikallisesti, mutta sovelluksia ei ole kuvattu.",
            "Mallilla on ainakin yksi kuvattu paikallinen hyvä käytäntö.",
            "Mallilla on useita kuvattuja paikallisia hyviä käytäntöjä eri ympäristöistä.",
        ],
        BANK + ": ”malleihin liitetään paikallisia sovellutuksia … Nämä paikalliset sovellutukset ovat hyviä käytäntöjä”.",
    ),
    (
        "transferability",
        "Siirrettävyys",
        "Malli voidaan siirtää toiseen organisaatioon, alueelle tai koulutusasteelle.",
        [
            "Malli toimii vain alkuperäisessä ympäristössään.",
            "Siirtäminen vaatisi suuria muutoksia; siirrettävyyden ehtoja ei ole tunnistettu.",
            "Siirrettävyyden ehdot on tunnistettu, ja mallia voi soveltaa muualla pienin muutoksin.",
            "Malli on jo siirretty onnistuneesti toiseen ympäristöön.",
        ],
        EU_BPP + ": transferability.",
    ),
    (
        "sustainability",
        "Juurtuminen ja jatkuvuus",
        "Malli jatkuu hankkeen päätyttyä osana organisaation perustoimintaa.",
        [
            "Mallin jatkumista hankkeen jälkeen ei ole suunniteltu.",
            "Jatkuminen on suunniteltu, mutta vastuita tai rahoitusta ei ole sovittu.",
            "Vastuut ja resurssit jatkumiselle on sovittu.",
            "Malli on juurtunut perustoimintaan ja jatkuu ilman hankerahoitusta.",
        ],
        EU_BPP + ": sustainability.",
    ),
    (
        "equity",
        "Yhdenvertaisuus",
        "Malli tavoittaa myös ne, joiden on vaikeinta päästä palvelujen ja tuen piiriin.",
        [
            "Yhdenvertaisuutta ei ole otettu huomioon.",
            "Yhdenvertaisuus on mainittu, mutta ei näy mallin toteutuksessa.",
            "Mallissa on keinoja tavoittaa eri lähtökohdista tulevat.",
            "Yhdenvertaisuuden toteutumista on seurattu, ja mallia on muutettu seurannan perusteella.",
        ],
        EU_BPP + ": equity.",
    ),
    (
        "participation",
        "Kohderyhmän osallisuus",
        "Opiskelijat ja muut kohderyhmät ovat olleet mukana kehittämässä ja arvioimassa mallia.",
        [
            "Kohderyhmä ei ole ollut mukana kehittämisessä.",
            "Kohderyhmältä on kerätty palautetta.",
            "Kohderyhmä on osallistunut mallin suunnitteluun tai arviointiin.",
            "Kohderyhmä on ollut mukana koko kehittämisen ajan, ja sen näkemykset näkyvät mallissa.",
        ],
        EU_BPP + ": participation.",
    ),
]

EXPERT = [
    (
        "national_scalability",
        "Valtakunnallinen levitettävyys",
        "Voiko mallin ottaa käyttöön eri puolilla Suomea sellaisenaan? Lopputulos on yksi kolmesta: "
        "suositellaan valtakunnalliseen levitykseen / levitettävissä jatkokehittämisen jälkeen / "
        "paikallinen hyvä käytäntö. Jokainen lopputulos perustellaan kirjallisesti.",
        [
            "Malli toimii alkuperäisessä ympäristössään: paikallinen hyvä käytäntö.",
            "Levittäminen vaatisi merkittävää kehittämistä: paikallinen hyvä käytäntö.",
            "Levitettävissä jatkokehittämisen jälkeen; kehittämiskohteet voidaan nimetä.",
            "Levitettävissä valtakunnallisesti sellaisenaan: suositellaan valtakunnalliseen levitykseen.",
        ],
        BANK + ": ”Keskeinen ajatus on, että malli on sellaisenaan valtakunnallisesti levitettävissä”; "
        "asiantuntija-arviointi.",
    ),
    (
        "peer_evidence",
        "Vertaisarvioinnin tulokset tukevat levittämistä",
        "Vertaisarvioinnin pisteet, yksimielisyys ja palaute.",
        [
            "Vertaisarviointi nosti esiin olennaisia puutteita.",
            "Vertaisarvioinnin tulokset ovat ristiriitaisia.",
            "Vertaisarvioinnin tulokset ovat pääosin myönteisiä; kehittämisideat ovat täsmällisiä.",
            "Vertaisarvioinnin tulokset ovat yhdenmukaisesti myönteisiä.",
        ],
        "Zoomin kaksivaiheinen arviointiprosessi (Zoomi 2020 -raportti: Miten malleja arvioidaan?).",
    ),
]


def create_default_sets(apps, schema_editor):
    CriteriaSet = apps.get_model("evaluation", "CriteriaSet")
    Criterion = apps.get_model("evaluation", "Criterion")
    for family, name, phase, description, criteria in [
        ("zoomi-peer", "Vertaisarvioinnin kriteerit", "peer",
         "Mallin laadulliset kriteerit vertaisarvioinnin työpajaan.", PEER),
        ("zoomi-expert", "Asiantuntija-arvioinnin kriteerit", "expert",
         "Valtakunnallisen levitettävyyden arviointi.", EXPERT),
    ]:
        if CriteriaSet.objects.filter(family=family).exists():
            continue
        criteria_set = CriteriaSet.objects.create(
            family=family, name=name, phase=phase, version=1, description=description, is_active=True
        )
        Criterion.objects.bulk_create(
            Criterion(
                criteria_set=criteria_set, code=code, title=title, description=text, position=position,
                level_1=levels[0], level_2=levels[1], level_3=levels[2], level_4=levels[3], source_note=source,
            )
            for position, (code, title, text, levels, source) in enumerate(criteria, start=1)
        )


def remove_default_sets(apps, schema_editor):
    CriteriaSet = apps.get_model("evaluation", "CriteriaSet")
    CriteriaSet.objects.filter(family__in=["zoomi-peer", "zoomi-expert"], version=1, frozen_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(create_default_sets, remove_default_sets)]
