import asyncio
from asyncio.subprocess import PIPE


# snippet: run-command
async def run_command(cmd):
    proc = await asyncio.create_subprocess_shell(cmd, stdout=PIPE)
    stdout, _ = await proc.communicate()
    output = stdout.decode().rstrip("\n")
    return f"{cmd} -> returncode {proc.returncode}, output {output}"
# end snippet


# snippet: several-main
async def main():
    results = await asyncio.gather(
        run_command("echo $((6 * 7))"),
        run_command("printf '%s\\n' pear apple fig | sort | head -n 1"),
        run_command("echo almost; exit 3"),
    )
    for r in results:
        print(r)


asyncio.run(main())
# end snippet
