import subprocess


async def déployer(cible):
    nom = "système"; subprocess.run(["deploy", cible, nom])
