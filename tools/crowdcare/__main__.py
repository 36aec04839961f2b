from crowdcare.cli import main

main()
