# aq_component(<target>) applies the project's warning, sanitizer and include policy to a target.
set(AQ_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
if(AQ_WERROR)
  list(APPEND AQ_WARNINGS -Werror)
endif()

if(AQ_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

function(aq_component target)
  target_compile_options(${target} PRIVATE ${AQ_WARNINGS})
endfunction()
