from ecogov.cli import main

main()
