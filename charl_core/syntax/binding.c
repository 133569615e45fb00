/* The compiled Charl grammar as a Python module, like tree-sitter's own Python binding template:
 * `language()` returns the TSLanguage pointer in the capsule that py-tree-sitter's Language() takes. */
#include <Python.h>

typedef struct TSLanguage TSLanguage;

TSLanguage *tree_sitter_charl(void);

static PyObject *language(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(args)) {
    return PyCapsule_New(tree_sitter_charl(), "tree_sitter.Language", NULL);
}

static PyMethodDef methods[] = {
    {"language", language, METH_NOARGS, "The tree-sitter language of Charl, as a capsule."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    .m_base = PyModuleDef_HEAD_INIT,
    .m_name = "_grammar",
    .m_doc = "The compiled tree-sitter grammar of Charl (grammar/src/parser.c).",
    .m_size = 0,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__grammar(void) { return PyModuleDef_Init(&module); }
