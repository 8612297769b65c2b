from baocao.cli.main import main

main()
