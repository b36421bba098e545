"""The default wording of the Bescheid's text blocks, for administrators to adapt."""

from django.db import migrations

DEFAULT_TEXTS = {'appeal_address': 'Kreis Schleswig-Flensburg, Der Landrat, Flensburger Straße 7, 24837 '
                   'Schleswig',
 'conditions': 'Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung '
               '(ANBest-P) in der jeweils geltenden Fassung sind Bestandteil dieses '
               'Bescheids, soweit der Leitfaden zur Vergabe finanzieller Mittel für positive '
               'Integration des Kreises Schleswig-Flensburg nichts Abweichendes bestimmt. '
               'Insbesondere gilt:',
 'intro': 'vielen Dank für Ihr Engagement für ein gutes Zusammenleben im Kreis '
          'Schleswig-Flensburg. Über Ihren Antrag auf Förderung aus den Mitteln für positive '
          'Integration entscheide ich wie folgt:',
 'legal_basis': 'Der Kreis Schleswig-Flensburg fördert Maßnahmen der positiven Integration '
                'nach seinem Leitfaden zur Vergabe finanzieller Mittel für positive '
                'Integration im Rahmen der im Haushalt verfügbaren Mittel. Ein Rechtsanspruch '
                'auf die Förderung besteht nicht; über Anträge wird nach pflichtgemäßem '
                'Ermessen entschieden.',
 'payment': 'Die Zuwendung wird nicht von Amts wegen ausgezahlt. Sie fordern sie im '
            'KITZ-Portal an (Mittelabruf), ganz oder in Teilbeträgen. Sie darf nur so weit '
            'und nicht eher angefordert werden, als sie innerhalb von zwei Monaten nach der '
            'Auszahlung für fällige Zahlungen im Rahmen des Zuwendungszwecks benötigt wird.\n'
            '\n'
            'Die Auszahlung erfolgt nach Prüfung des Mittelabrufs auf das Konto, das im '
            'KITZ-Portal für Ihre Organisation hinterlegt ist.'}


def add_default_blocks(apps, schema_editor):
    LetterTextBlock = apps.get_model("applications", "LetterTextBlock")
    for key, text in DEFAULT_TEXTS.items():
        LetterTextBlock.objects.get_or_create(programme=None, key=key, defaults={"text": text})


def remove_default_blocks(apps, schema_editor):
    LetterTextBlock = apps.get_model("applications", "LetterTextBlock")
    LetterTextBlock.objects.filter(programme=None, key__in=DEFAULT_TEXTS).delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_decision_letters")]

    operations = [migrations.RunPython(add_default_blocks, remove_default_blocks)]
