# The test JupyterHub (the CLI's hub tests and the app's end-to-end test): 127.0.0.1 (or the
# address HUB_IP gives) on the ports the environment gives, the dummy authenticator, the simple
# local-process spawner, named servers, and an admin service whose token comes from the
# environment (never a command line). HUB_SPAWN_DELAY=N makes every spawn wait N seconds first,
# with the hub's own default timeouts, as a slow cluster does.
import asyncio, os, sys
d = os.environ["HUB_DIR"]
c.JupyterHub.bind_url = f"http://{os.environ.get('HUB_IP', '127.0.0.1')}:{os.environ['HUB_PORT']}/"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ['HUB_API_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [os.environ["CHP"]]
c.ConfigurableHTTPProxy.pid_file = f"{d}/proxy.pid"
c.JupyterHub.db_url = f"sqlite:///{d}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{d}/cookie_secret"
c.JupyterHub.pid_file = f"{d}/hub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
delay = float(os.environ.get("HUB_SPAWN_DELAY", "0"))
if delay:
    from jupyterhub.spawner import SimpleLocalProcessSpawner

    class SlowSpawner(SimpleLocalProcessSpawner):
        async def start(self):
            await asyncio.sleep(delay)
            return await super().start()

    c.JupyterHub.spawner_class = SlowSpawner
c.SimpleLocalProcessSpawner.home_dir_template = d + "/home/{username}"
c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")]
c.Spawner.args = ["--ServerApp.allow_root=True"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
c.JupyterHub.allow_named_servers = True
# Answer 202 at once, so starts go through the progress stream and stops are waited for; a slow
# hub keeps JupyterHub's defaults (a start is held open 10 s before 202).
if not delay:
    c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0.01, "slow_stop_timeout": 0.01}
c.JupyterHub.services = [{"name": "test-admin", "api_token": os.environ["ADMIN_TOKEN"]}]
c.JupyterHub.load_roles = [{"name": "test-admin", "services": ["test-admin"],
                            "scopes": ["admin:users", "admin:servers", "tokens"]}]
