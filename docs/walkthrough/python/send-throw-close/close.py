import inspect


# snippet: printer
def printer():
    print("printer: open")
    try:
        while True:
            line = yield
            print("printer: got", line)
    except GeneratorExit:
        print("printer: yield raised GeneratorExit")
        raise
    finally:
        print("printer: finally")
# end snippet


# snippet: close
p = printer()
next(p)
p.send("hello")
p.send("world")
print("close returned", p.close())
print(inspect.getgeneratorstate(p))
# end snippet
