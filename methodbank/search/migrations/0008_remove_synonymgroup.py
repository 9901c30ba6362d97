from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0007_vocabulary_data")]

    operations = [migrations.DeleteModel(name="SynonymGroup")]
