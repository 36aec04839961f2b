from crowdcare.cli.main import main

main()
