from graphkg.cli import main

main()
