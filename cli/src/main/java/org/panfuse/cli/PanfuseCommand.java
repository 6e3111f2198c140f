package org.panfuse.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code panfuse}: the top-level command; its subcommands do the work. */
@Command(name = "panfuse", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"FUSE filesystems in Java on libfuse3's low-level API.",
            "panfuse SOURCE MOUNTPOINT [-f] [-d] [-s] [-o OPT,...] mounts as every FUSE program (and mount.fuse3 for "
                    + "an fstab line of type fuse.panfuse) does: in the background unless -f; see panfuse mount --help."},
        subcommands = {MountCommand.class, InitCommand.class, RestoreCommand.class, UnmountCommand.class,
            ListCommand.class, CompletionCommand.class})
public final class PanfuseCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command, for picocli to fill in; {@link #execute} makes one per command line. */
    public PanfuseCommand() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: panfuse mount SOURCE MOUNTPOINT)");
    }

    /**
     * Runs the command line and exits the JVM with its exit code (see {@link #execute}).
     *
     * @param args the command line, e.g. {@code mount SOURCE MOUNTPOINT}
     */
    public static void main(String[] args) {
        StartupWarmer.start();
        System.exit(execute(args));
    }

    /**
     * Runs the command line; messages go to stdout and stderr.
     *
     * @param args the command line, e.g. {@code mount SOURCE MOUNTPOINT}
     * @return the exit code: 0 ok, 1 the system refused, 2 the command line is wrong
     */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new PanfuseCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(PanfuseCommand::usageError);
        // FUSE's conventions (panfuse SOURCE MOUNTPOINT -o ...) and fstab's -o names are the mount command's.
        try {
            args = FuseForm.rewrite(args, cli.getSubcommands().keySet());
        } catch (UserError u) {
            cli.getErr().println("panfuse: " + u.getMessage());
            return u.exitCode();
        }
        // An fstab line and its command line may both say an option (-d and -o debug): the last one counts.
        cli.getSubcommands().get("mount").setOverwrittenOptionsAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError u) {
                commandLine.getErr().println("panfuse: " + u.getMessage());
                return u.exitCode();
            }
            // A bug of ours, not the user's: still one line, the whole trace only when asked for.
            commandLine.getErr().println("panfuse: unexpected error: " + e
                    + (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--debug")
                            ? "" : " (--debug shows where)"));
            if (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    /** One line, not the whole usage text: what was wrong and where to look. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("panfuse: " + e.getMessage() + " (see: panfuse " + commandPath(e.getCommandLine()) + "--help)");
        return 2;
    }

    private static String commandPath(CommandLine cl) {
        String name = cl.getCommandName();
        return name.equals("panfuse") ? "" : name + " ";
    }
}
