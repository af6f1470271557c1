from glemsel.pipeline.interfaces.cli import app

app(prog_name="glemsel")
