import requests

r = requests.get("https://api.github.com/user", headers={"Authorization": f"Bearer {token}"})
