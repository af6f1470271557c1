from glemsel.pipeline.interfaces.entry import main

main()
