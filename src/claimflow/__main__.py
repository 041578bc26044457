from claimflow.cli import app

if __name__ == "__main__":
    app(prog_name="claimflow")
