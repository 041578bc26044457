# Names vulture cannot see being used (protocol methods and framework hooks).
tb  # TableWriter.__exit__(exc_type, exc, tb): the context-manager protocol's signature
