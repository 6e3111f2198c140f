package org.panfuse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code panfuse completion}: prints the bash (and zsh) completion script of the panfuse command. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {
            "Prints the bash completion script of panfuse: subcommands, options, their values, files where a path "
                    + "is wanted.",
            "bash: source <(panfuse completion), or save it as /usr/share/bash-completion/completions/panfuse "
                    + "(~/.local/share/bash-completion/completions/panfuse for one user). zsh: the same source line "
                    + "in ~/.zshrc (the script loads bashcompinit)."
        })
final class CompletionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(CompletionScript.generate());
        return 0;
    }
}
